/**
 * The current names of the people mentions point at. A stored mention carries the name the server
 * gave it when the text was written; a reader sees the name the user has now, asked of the server
 * (the directory, `GET /api/users?ids=…`) for every mention shown, many ids in one request, and
 * kept for this page's life, refreshed after NAME_TTL_MS. Until the answer comes, and for someone
 * the directory no longer lists (deactivated), the stored name shows.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { Page, UserSummaryDTO } from '../../../../shared/dto';
import { api } from '../../api/http';

const NAME_TTL_MS = 10 * 60_000;
/** Ids per request: the directory answers at most 100 ids at once. */
const BATCH = 100;

type Known = { name: string | null; at: number };
const known = new Map<string, Known>();
const listeners = new Set<() => void>();
const wanted = new Set<string>();
let flushing: Promise<void> | null = null;

const isUserId = (id: string) => /^[1-9]\d{0,18}$/.test(id);

function want(userId: string): void {
  const entry = known.get(userId);
  if (!isUserId(userId) || wanted.has(userId) || (entry && Date.now() - entry.at < NAME_TTL_MS)) return;
  wanted.add(userId);
  // One request for all the mentions a render shows, asked after the render.
  flushing ??= Promise.resolve().then(flush);
}

async function flush(): Promise<void> {
  const ids = [...wanted];
  wanted.clear();
  flushing = null;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    try {
      const page = await api.get<Page<UserSummaryDTO>>('/api/users', { ids: batch.join(','), limit: BATCH });
      const at = Date.now();
      for (const id of batch) known.set(id, { name: null, at });
      for (const user of page.items) known.set(user.id, { name: user.displayName, at });
      listeners.forEach((listener) => listener());
    } catch {
      // Offline or signed out: the stored names stay; the next render asks again.
    }
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current name of `userId`, or `fallback` (the name stored with the mention) until it is known. */
export function useCurrentUserName(userId: string, fallback: string): string {
  const name = useSyncExternalStore(subscribe, () => known.get(userId)?.name ?? null);
  useEffect(() => want(userId), [userId]);
  return name ?? fallback;
}
