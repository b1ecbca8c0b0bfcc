import { useMemo } from 'react';
import type { RichTextLabels } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';

/** The editor's visible strings that chat shows, from the app's dictionaries. */
export function useEditorLabels(): Partial<RichTextLabels> {
  const { t } = useI18n();
  return useMemo(() => ({ editor: t('chat.composer'), mentionList: t('chat.mentionList') }), [t]);
}
