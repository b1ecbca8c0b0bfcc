import type { PushDeviceDTO, PushKeyDTO } from '../../../shared/push';
import { api } from '../api/http';

/** The push API of the server (see server/routes/api/push). */
export const pushApi = {
  key: () => api.get<PushKeyDTO>('/api/push/key'),
  devices: () => api.get<PushDeviceDTO[]>('/api/push/devices'),
  subscribe: (subscription: PushSubscriptionJSON, label: string) => api.post<PushDeviceDTO>('/api/push/devices', { endpoint: subscription.endpoint, keys: subscription.keys, label }),
  remove: (id: string) => api.delete(`/api/push/devices/${encodeURIComponent(id)}`),
};

/** Whether this browser can receive push at all, and if not, why (shown to the user as it is). */
export function pushSupport(): { supported: true } | { supported: false; reason: 'no-service-worker' | 'no-push' | 'no-notifications' } {
  if (!('serviceWorker' in navigator)) return { supported: false, reason: 'no-service-worker' };
  if (!('PushManager' in window)) return { supported: false, reason: 'no-push' };
  if (!('Notification' in window)) return { supported: false, reason: 'no-notifications' };
  return { supported: true };
}

/** A name for this device from its browser and system ("Chrome · Android"), which the user sees in their device list. */
export function deviceLabel(ua = navigator.userAgent): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return system ? `${browser} · ${system}` : browser;
}

/** This browser's current push subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport().supported !== true) return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** The user (or the browser) did not allow notifications for this site. */
export class NotificationsNotAllowed extends Error {
  constructor(readonly permission: NotificationPermission) {
    super(`Notification permission: ${permission}`);
    this.name = 'NotificationsNotAllowed';
  }
}

const keyBytes = (base64url: string) => {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
};

/**
 * Turns push on for this browser: asks for permission to show notifications, subscribes at the
 * browser's push service with the server's key and tells the server. Throws the browser's own
 * error when it refuses (denied permission, no push service), for the page to show.
 */
export async function enablePush(): Promise<PushDeviceDTO> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new NotificationsNotAllowed(permission);
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await pushApi.key();
  const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  return pushApi.subscribe(subscription.toJSON(), deviceLabel());
}

/**
 * Ends push on this browser (at sign-out, or when the user turns it off): the browser forgets its
 * subscription, and the server's row goes with it (by id when known; at sign-out the server drops
 * the devices of the ended sign-in itself).
 */
export async function disablePush(deviceId?: string): Promise<void> {
  const subscription = await currentSubscription().catch(() => null);
  await subscription?.unsubscribe().catch(() => false);
  if (deviceId) await pushApi.remove(deviceId);
}

/**
 * After signing in: a browser still subscribed (its earlier sign-in expired rather than signed out,
 * which unsubscribes) is registered again for the user, so pushes resume without asking twice.
 */
export async function resumePush(): Promise<void> {
  if (pushSupport().supported !== true || Notification.permission !== 'granted') return;
  const subscription = await currentSubscription();
  if (subscription) await pushApi.subscribe(subscription.toJSON(), deviceLabel());
}
