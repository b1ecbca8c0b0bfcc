import './files.css';
import { useEffect, useRef, useState } from 'react';
import type { FileDTO } from '../../../../shared/files';
import { useI18n } from '../../i18n';
import { formatSize } from './filesApi';

/** A message's, thread's or customer's files: images as thumbnails that open the viewer, other files as cards. */
export function Attachments({ files, onRemove }: { files: FileDTO[]; onRemove?: (file: FileDTO) => void }) {
  const [open, setOpen] = useState<FileDTO | null>(null);
  if (files.length === 0) return null;
  const images = files.filter((f) => f.thumbnailUrl);
  const others = files.filter((f) => !f.thumbnailUrl);
  return (
    <div className="attachments" data-testid="attachments">
      {images.length > 0 && (
        <div className="attachment-images">
          {images.map((f) => (
            <ImageThumb key={f.id} file={f} onOpen={() => setOpen(f)} />
          ))}
        </div>
      )}
      {others.map((f) => (
        <FileCard key={f.id} file={f} onRemove={onRemove} />
      ))}
      {open && <ImageViewer file={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function ImageThumb({ file, onOpen }: { file: FileDTO; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="attachment-thumb" data-testid="attachment-thumb" data-file-id={file.id} onClick={onOpen} aria-label={t('files.open', { name: file.name })}>
      <img src={file.thumbnailUrl!} alt={file.name} loading="lazy" width={file.width && file.height ? Math.min(240, file.width) : undefined} />
    </button>
  );
}

/** A file as a card: its name, size and type, and a download link (never opened in the page). */
export function FileCard({ file, onRemove }: { file: FileDTO; onRemove?: (file: FileDTO) => void }) {
  const { t } = useI18n();
  return (
    <div className="file-card" data-testid="file-card" data-file-id={file.id}>
      <span className="file-card-type" aria-hidden="true">
        {(file.name.split('.').pop() ?? '').slice(0, 4).toUpperCase() || 'FILE'}
      </span>
      <span className="file-card-text">
        <a href={`${file.url}?download=1`} download={file.name} className="file-card-name">
          {file.name}
        </a>
        <span className="muted">
          {formatSize(file.size)} · {file.mime}
        </span>
      </span>
      {onRemove && (
        <button type="button" className="link-button" onClick={() => onRemove(file)}>
          {t('files.remove')}
        </button>
      )}
    </div>
  );
}

/** The full image in a modal dialog; Escape or the close button closes it, focus comes back where it was. */
export function ImageViewer({ file, onClose }: { file: FileDTO; onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const node = dialog.current;
    node?.showModal();
    return () => node?.close();
  }, []);
  return (
    <dialog ref={dialog} className="image-viewer" data-testid="image-viewer" aria-label={t('files.viewer')} onClose={onClose} onClick={(e) => e.target === dialog.current && onClose()}>
      <img src={file.url} alt={file.name} data-testid="image-viewer-image" />
      <div className="image-viewer-bar">
        <span>{file.name}</span>
        <a href={`${file.url}?download=1`} download={file.name}>
          {t('files.download')}
        </a>
        <button type="button" className="button-quiet" onClick={onClose} autoFocus>
          {t('files.close')}
        </button>
      </div>
    </dialog>
  );
}
