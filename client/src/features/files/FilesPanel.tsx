import './files.css';
import { useCallback, useEffect, useState } from 'react';
import type { AttachmentHostKind, FileDTO } from '../../../../shared/files';
import { useI18n } from '../../i18n';
import { FilePicker } from '../../ui/FilePicker';
import { Attachments } from './Attachments';
import { useOnFilesChanged } from './fileChanges';
import { filesApi, formatSize } from './filesApi';
import { typeGroups, useFileLimits } from './limits';
import { UploadList } from './UploadList';
import { useUploads } from './useUploads';

/** The limits in force — size per file, what is left of the day, the types accepted — shown beside every picker, before anyone uploads. */
export function LimitsNote() {
  const { t } = useI18n();
  const limits = useFileLimits();
  if (!limits) return null;
  const types = typeGroups(limits.allowedTypes).map((g) => (g.startsWith('files.type.') ? t(g as 'files.type.images') : g));
  return (
    <p className="muted files-limits" data-testid="files-limits" data-max-mb={limits.maxFileMb} data-left-bytes={limits.remainingTodayBytes}>
      {t('files.limits', { max: formatSize(limits.maxFileMb * 1048576), left: formatSize(limits.remainingTodayBytes) })} {t('files.allowedTypes', { types: types.join(t('files.listSeparator')) })}
    </p>
  );
}

/**
 * The files of one object (a customer's Files tab; threads, reports, announcements): listed for
 * whoever sees it, and again whenever the page's stream says they changed (FileChanges);
 * `canAdd` shows the picker and the drop zone, each stored upload attached at once. A page whose
 * editor also takes pasted files (a report's sections) passes its own `uploads` (useAttachingUploads),
 * so that both land here.
 */
export function FilesPanel({ kind, hostId, canAdd, onChanged, uploads: outside }: { kind: AttachmentHostKind; hostId: string; canAdd: boolean; onChanged?: () => void; uploads?: ReturnType<typeof useUploads> }) {
  const { t } = useI18n();
  const [files, setFiles] = useState<FileDTO[] | null>(null);
  const [dragging, setDragging] = useState(false);
  const reload = useCallback(() => filesApi.ofHost(kind, hostId).then(setFiles, () => setFiles([])), [kind, hostId]);
  useEffect(() => {
    void reload();
  }, [reload]);
  useOnFilesChanged(kind, (change) => change.hostId === hostId && void reload());
  const own = useUploads((file) => {
    filesApi.attach(kind, hostId, [file.id]).then((list) => {
      setFiles(list);
      onChanged?.();
    }, () => undefined);
  });
  const uploads = outside ?? own;
  // A reader of an object without files sees nothing of this panel.
  if (!canAdd && (!files || files.length === 0)) return null;
  return (
    <section
      className={`files-panel${dragging ? ' files-dragging' : ''}`}
      data-testid="files-panel"
      onDragOver={(e) => {
        if (!canAdd || !e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (!canAdd) return;
        e.preventDefault();
        setDragging(false);
        uploads.add([...e.dataTransfer.files]);
      }}
    >
      {canAdd && (
        <div className="files-add">
          <FilePicker label={t('files.attach')} multiple onFile={() => undefined} onFiles={(list) => uploads.add(list)} data-testid="files-input" />
          <span className="muted">{t('files.dropHere')}</span>
          <LimitsNote />
        </div>
      )}
      <UploadList uploads={uploads} />
      {files && files.length === 0 && <p className="muted">{t('files.none')}</p>}
      {files && <Attachments files={files} />}
    </section>
  );
}
