import { navigate } from '../app/router';

/**
 * Registers the service worker (client/sw/sw.ts, built to /sw.js; scope: the whole app) and lets
 * it open pages: a click on a push notification while the app is open arrives as a message, and
 * the app navigates without reloading, keeping its live connection.
 */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: string; link?: unknown }>) => {
    const link = event.data?.link;
    if (event.data?.type === 'huitong:open' && typeof link === 'string' && link.startsWith('/') && !link.startsWith('//')) navigate(link);
  });
  // The first time a worker takes over, what the page loaded before went past it: load who is signed
  // in and the conversation list again through it, so the offline copy exists from the first visit.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    for (const path of ['/api/me', '/api/conversations']) void fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => undefined);
  });
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
