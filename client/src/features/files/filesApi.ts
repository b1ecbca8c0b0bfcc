import type { AttachmentHostKind, FileDTO, FileLimits } from '../../../../shared/files';
import type { Page } from '../../../../shared/dto';
import type { ApiErrorBody } from '../../../../shared/errors';
import { api, ApiError } from '../../api/http';

export type Limits = FileLimits & { remainingTodayBytes: number };

/**
 * Uploads one file (multipart, part "file") with progress; `signal` cancels it. XMLHttpRequest,
 * because fetch reports no upload progress. The session cookie authenticates it on this origin.
 */
export function uploadFile(file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<FileDTO> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { data?: FileDTO; error?: ApiErrorBody } | null;
      if (xhr.status === 201 && body?.data) resolve(body.data);
      else reject(ApiError.fromBody(xhr.status, body?.error, 'The upload failed'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was interrupted'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name || 'file');
    xhr.send(form);
  });
}

export const filesApi = {
  limits: () => api.get<Limits>('/api/files/limits'),
  ofHost: (kind: AttachmentHostKind, id: string) => api.get<Page<FileDTO>>(`/api/attachments/${kind}/${id}`).then((page) => page.items),
  /** The files of up to 100 objects of one kind, by id (those the user does not see, or without files, are left out). */
  ofHosts: (kind: AttachmentHostKind, ids: string[]) => api.get<{ byHost: Record<string, FileDTO[]> }>(`/api/attachments/${kind}?ids=${ids.join(',')}`).then((page) => page.byHost),
  attach: (kind: AttachmentHostKind, id: string, fileIds: string[]) => api.post<Page<FileDTO>>(`/api/attachments/${kind}/${id}`, { fileIds }).then((page) => page.items),
  detach: (kind: AttachmentHostKind, id: string, fileId: string) => api.delete(`/api/attachments/${kind}/${id}/${fileId}`),
};

/** A size for people: 1.2 MB, 340 KB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(bytes >= 10 * 1048576 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
