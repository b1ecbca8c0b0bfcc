import { useI18n } from '../../i18n';
import type { EditScope } from './entryForm';

type Props = {
  /** The question: saving changes or deleting. */
  action: 'edit' | 'delete';
  /** "This occurrence" alone cannot take a new recurrence rule. */
  thisAllowed?: boolean;
  onChoose: (scope: EditScope) => void;
  onCancel: () => void;
};

/** Asks, as calendar programs do, whether a change to a recurring entry is for this occurrence, it and the following ones, or all. */
export function ScopePrompt({ action, thisAllowed = true, onChoose, onCancel }: Props) {
  const { t } = useI18n();
  return (
    <div className="notice" role="group" aria-label={t(`schedule.scope.${action}`)} data-testid="scope-prompt">
      <strong>{t(`schedule.scope.${action}`)}</strong>
      <div className="toolbar">
        <button type="button" className="button" disabled={!thisAllowed} title={thisAllowed ? undefined : t('schedule.scope.thisNoRecurrence')} onClick={() => onChoose('this')} data-testid="scope-this">
          {t('schedule.scope.this')}
        </button>
        <button type="button" className="button" onClick={() => onChoose('following')} data-testid="scope-following">{t('schedule.scope.following')}</button>
        <button type="button" className="button" onClick={() => onChoose('all')} data-testid="scope-all">{t('schedule.scope.all')}</button>
        <button type="button" className="button-quiet" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </div>
  );
}
