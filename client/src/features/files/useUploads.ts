import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileDTO } from '../../../../shared/files';
import { fieldProblems, type ApiError } from '../../api/http';
import { filesApi, uploadFile } from './filesApi';
import type { AttachmentHostKind } from '../../../../shared/files';
import { knownLimits, refreshLimits, refusalOf } from './limits';

/** One file on its way up: progress, then the stored file, or why it failed (retry sends it again). */
export type Upload = {
  key: string;
  file: File;
  progress: number;
  status: 'uploading' | 'done' | 'failed' | 'cancelled';
  result: FileDTO | null;
  /** A field problem code (too_large, type_mismatch …) or `network`. */
  errorCode: string | null;
  /** Refused here, before sending, by the limits the server announced: sending it again would not help. */
  local?: boolean;
};

let counter = 0;

/**
 * Uploads chosen, pasted or dropped files at once, each cancellable and retryable; `onDone` hears
 * of each stored file. Uploads still running when the component goes away are cancelled.
 */
export function useUploads(onDone?: (file: FileDTO) => void) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const done = useRef(onDone);
  done.current = onDone;

  useEffect(() => () => controllers.current.forEach((c) => c.abort()), []);

  const patch = (key: string, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const run = useCallback((key: string, file: File) => {
    const controller = new AbortController();
    controllers.current.set(key, controller);
    uploadFile(file, { signal: controller.signal, onProgress: (progress) => patch(key, { progress }) }).then(
      (result) => {
        patch(key, { status: 'done', progress: 1, result });
        refreshLimits();
        done.current?.(result);
      },
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return patch(key, { status: 'cancelled' });
        const apiError = error as ApiError;
        patch(key, { status: 'failed', errorCode: fieldProblems(apiError)[0]?.code ?? (apiError.code === 'network' ? 'network' : 'other') });
      },
    ).finally(() => controllers.current.delete(key));
  }, []);

  const add = useCallback(
    (files: File[]) => {
      // Too large, past the day's allowance (counting the files sent with it) or of a refused type: failed at once, nothing sent.
      let pending = 0;
      const added: Upload[] = files.map((file) => {
        const refusal = refusalOf(file, knownLimits(), pending);
        if (!refusal) pending += file.size;
        return { key: `u${++counter}`, file, progress: 0, status: refusal ? 'failed' : 'uploading', result: null, errorCode: refusal, local: !!refusal };
      });
      setUploads((list) => [...list, ...added]);
      for (const u of added) if (u.status === 'uploading') run(u.key, u.file);
    },
    [run],
  );
  const cancel = (key: string) => controllers.current.get(key)?.abort();
  const retry = (key: string) => {
    const upload = uploads.find((u) => u.key === key);
    if (!upload) return;
    patch(key, { status: 'uploading', progress: 0, errorCode: null });
    run(key, upload.file);
  };
  const remove = (key: string) => {
    cancel(key);
    setUploads((list) => list.filter((u) => u.key !== key));
  };
  const clear = () => setUploads([]);
  return { uploads, add, cancel, retry, remove, clear, busy: uploads.some((u) => u.status === 'uploading') };
}

/**
 * Uploads that go straight onto an object that exists (a report being written, an announcement being
 * edited): each stored file is attached to it, and `onAttached` hears of it (to refresh its file list).
 */
export function useAttachingUploads(kind: AttachmentHostKind, hostId: string, onAttached?: () => void) {
  const latest = useRef(onAttached);
  latest.current = onAttached;
  return useUploads((file) => {
    filesApi.attach(kind, hostId, [file.id]).then(() => latest.current?.(), () => undefined);
  });
}

/** The stored files of a set of uploads, in order: what a new reply or annotation takes once it exists. */
export const storedFiles = (uploads: Upload[]) => uploads.flatMap((u) => (u.status === 'done' && u.result ? [u.result] : []));
