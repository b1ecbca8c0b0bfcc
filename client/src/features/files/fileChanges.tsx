import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AttachmentHostKind, HostFilesEvents } from '../../../../shared/files';

/** Which host's files changed (the stream's event, or one's own attach). */
export type FilesChange = Pick<HostFilesEvents['attachments.changed'], 'kind' | 'hostId'>;
type Listener = (change: FilesChange) => void;

/**
 * Files changed on a host of the page (the `attachments.changed` event of a thread's, report's or
 * announcement's stream, or one's own attach): the page that follows the stream passes each event
 * here, and every file list below it — the host's files panel, its replies' or annotations' files —
 * refreshes what it shows. The page keeps following its stream once, from its own snapshot.
 */
export class FileChanges {
  private readonly listeners = new Set<Listener>();
  emit(change: FilesChange): void {
    this.listeners.forEach((listener) => listener(change));
  }
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

const Context = createContext<FileChanges | null>(null);

/** A page's source of file changes, made once. */
export const useFileChangesSource = () => useState(() => new FileChanges())[0];

export function FileChangesProvider({ value, children }: { value: FileChanges; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/**
 * Calls `onChange` for changes of hosts of `kind` (outside a page that follows a stream, never).
 * `source` is for the page that holds the source itself (it sits above its own provider).
 */
export function useOnFilesChanged(kind: AttachmentHostKind, onChange: (change: FilesChange) => void, source?: FileChanges): void {
  const context = useContext(Context);
  const changes = source ?? context;
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => changes?.on((change) => change.kind === kind && latest.current(change)), [changes, kind]);
}

/** The page's file changes, to tell its lists of one's own attach at once (the stream's event follows). */
export const useFileChanges = () => useContext(Context);
