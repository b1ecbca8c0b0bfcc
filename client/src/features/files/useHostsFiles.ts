import { useCallback, useEffect, useState } from 'react';
import type { AttachmentHostKind, FileDTO } from '../../../../shared/files';
import { ApiError } from '../../api/http';
import { filesApi } from './filesApi';
import { useOnFilesChanged, type FileChanges } from './fileChanges';

/**
 * The files of the hosts a page shows (a thread's replies, a report's annotations), by host id: one
 * request for the ids not asked about yet, then each host again when the page's stream says its files
 * changed (useOnFilesChanged). `set` puts one host's files in place (after one's own attach).
 */
export function useHostsFiles(kind: AttachmentHostKind, hostIds: string[], source?: FileChanges) {
  const [byHost, setByHost] = useState<Record<string, FileDTO[]>>({});
  const [asked, setAsked] = useState<Set<string>>(() => new Set());
  const key = hostIds.join(',');
  useEffect(() => {
    const wanted = [...new Set(hostIds)].filter((id) => !asked.has(id));
    if (wanted.length === 0) return;
    setAsked((before) => new Set([...before, ...wanted]));
    // At most 100 per request (the endpoint's bound); a page shows 50 replies.
    for (let i = 0; i < wanted.length; i += 100) {
      const ids = wanted.slice(i, i + 100);
      filesApi.ofHosts(kind, ids).then(
        (found) => setByHost((before) => ({ ...before, ...found })),
        () => undefined,
      );
    }
    // The ids' content decides, not the array's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, key]);
  const set = useCallback((hostId: string, files: FileDTO[]) => setByHost((before) => ({ ...before, [hostId]: files })), []);
  useOnFilesChanged(kind, (change) => {
    if (!hostIds.includes(change.hostId)) return;
    filesApi.ofHost(kind, change.hostId).then(
      (files) => set(change.hostId, files),
      // No longer visible (hidden, deleted): nothing to show.
      (error) => error instanceof ApiError && error.status === 404 && set(change.hostId, []),
    );
  }, source);
  return { byHost, set };
}
