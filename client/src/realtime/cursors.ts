/** The subset of the Web Storage API the cursors need; a Map stands in for it in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The browser's localStorage when it is usable (private modes and tests may lack it). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return undefined;
    const probe = '__huitong_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

/** An in-memory KeyValueStorage. */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * The last sequence applied per stream. Memory is the truth while the page lives; storage
 * only lets a reloaded page ask `sync` for less. That is safe because every feature reloads
 * its own snapshot over HTTP on start, which already contains what those events changed.
 */
export class StreamCursors {
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly storage?: KeyValueStorage,
    private readonly storageKey?: string,
  ) {
    if (!storage || !storageKey) return;
    try {
      const saved = JSON.parse(storage.getItem(storageKey) ?? '{}') as Record<string, unknown>;
      for (const [stream, seq] of Object.entries(saved)) if (Number.isSafeInteger(seq) && (seq as number) > 0) this.seqs.set(stream, seq as number);
    } catch {
      storage.removeItem(storageKey);
    }
  }

  /** True when a position is known for the stream (applied here or saved before a reload). */
  has(stream: string): boolean {
    return this.seqs.has(stream);
  }

  /** The last applied seq of a stream, 0 when nothing was applied yet. */
  get(stream: string): number {
    return this.seqs.get(stream) ?? 0;
  }

  /** Records that `seq` of `stream` was applied. */
  set(stream: string, seq: number): void {
    this.seqs.set(stream, seq);
    if (!this.storage || !this.storageKey) return;
    try {
      this.storage.setItem(this.storageKey, JSON.stringify(Object.fromEntries(this.seqs)));
    } catch {
      /* a full storage only costs a larger sync after reload */
    }
  }
}
