import './files.css';
import { useI18n } from '../../i18n';
import { FilePicker } from '../../ui/FilePicker';
import { LimitsNote } from './FilesPanel';
import { UploadList } from './UploadList';
import type { useUploads } from './useUploads';

/**
 * A composer's files: the localised picker, the limits in force, and the uploads with their progress,
 * cancel and retry. The composer's editor passes pasted and dropped files to the same `uploads.add`
 * (RichTextEditor's `onFiles`), so choosing, pasting and dropping are one path in every composer.
 */
export function ComposerFiles({ uploads, testId = 'composer-files' }: { uploads: ReturnType<typeof useUploads>; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="composer-files" data-testid={testId}>
      <UploadList uploads={uploads} />
      <div className="files-add">
        <FilePicker label={t('files.attach')} multiple onFile={() => undefined} onFiles={uploads.add} data-testid={`${testId}-input`} />
        <LimitsNote />
      </div>
    </div>
  );
}
