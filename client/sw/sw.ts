/**
 * Huitong's service worker (docs/client.md, "Installing" and "Push notifications"):
 * - the app shell (every built file) is precached, so the installed app opens without a network;
 *   every page of the app is index.html;
 * - the conversation list, each conversation's newest messages and members, and who is signed in
 *   are fetched from the network first and kept, so that offline the app shows the last ones it
 *   loaded; a copy served from here carries `x-huitong-offline: 1` and the app shows it read-only;
 * - a push shows a notification; clicking it opens its page in an open window of the app, or a new one.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { safeAppPath, type PushPayload } from '../../shared/pushPayload';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** The cache of API answers kept for offline use; the app deletes it when its user signs out. */
const API_CACHE = 'huitong-api';
export const OFFLINE_HEADER = 'x-huitong-offline';

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Server paths that are not pages of the app are never answered with the shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/socket\.io\//, /^\/calendar\//, /^\/webhooks\//, /^\/(healthz|readyz)$/] }));

const offlineCopy = /^\/api\/(me|conversations(\/\d+(\/(members|messages))?)?)$/;
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && offlineCopy.test(url.pathname) && !url.searchParams.has('before'),
  new NetworkFirst({
    cacheName: API_CACHE,
    plugins: [
      { cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null) },
      {
        cachedResponseWillBeUsed: async ({ cachedResponse }) => {
          if (!cachedResponse) return null;
          const headers = new Headers(cachedResponse.headers);
          headers.set(OFFLINE_HEADER, '1');
          return new Response(await cachedResponse.blob(), { status: cachedResponse.status, statusText: cachedResponse.statusText, headers });
        },
      },
    ],
  }),
);

function parsePayload(data: PushMessageData | null): PushPayload | null {
  try {
    const value = data?.json() as Partial<PushPayload> | undefined;
    return value && typeof value.title === 'string' ? ({ body: '', link: '/', kind: 'system', notificationId: '', urgent: false, ...value } as PushPayload) : null;
  } catch {
    return null;
  }
}

self.addEventListener('push', (event) => {
  const payload = parsePayload(event.data);
  // Every push must show something (userVisibleOnly); one we cannot read still says the app has news.
  const title = payload?.title ?? '汇通';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: payload?.body ?? '',
      tag: payload?.notificationId ? `notification-${payload.notificationId}` : undefined,
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      requireInteraction: payload?.urgent ?? false,
      data: { link: safeAppPath(payload?.link) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = safeAppPath((event.notification.data as { link?: unknown } | null)?.link);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        // The app navigates itself (no reload, its live connection stays); see client/src/pwa/serviceWorker.ts.
        open.postMessage({ type: 'huitong:open', link });
        await open.focus();
      } else {
        await self.clients.openWindow(link);
      }
    })(),
  );
});
