import { useSyncExternalStore } from 'react';

/**
 * Whether what the app shows came from the service worker's offline copy (client/sw/sw.ts marks
 * such answers with `x-huitong-offline`) rather than from the server. Every API answer reports its
 * source here: one from the server ends the offline state, one from the copy starts it.
 */
let offline = false;
const listeners = new Set<() => void>();

export const OFFLINE_HEADER = 'x-huitong-offline';

/** Called by the HTTP client for every answer it gets. */
export function noteAnswer(response: Response): void {
  const fromCopy = response.headers.get(OFFLINE_HEADER) === '1';
  if (fromCopy === offline) return;
  offline = fromCopy;
  for (const listener of [...listeners]) listener();
}

/** True while the app shows the last saved copy (read-only). */
export function useOfflineCopy(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => offline,
  );
}

/** The cache the service worker keeps API answers in (see client/sw/sw.ts). */
export const API_CACHE = 'huitong-api';

/** Forgets the saved copy of the signed-in user's data (at sign-out: the next person on this browser must not see it). */
export async function forgetOfflineCopy(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(API_CACHE).catch(() => undefined);
}
