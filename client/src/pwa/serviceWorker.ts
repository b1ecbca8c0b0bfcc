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
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
