/** What a push carries to the service worker (written by the delivery dispatcher, shown by client/sw/sw.ts). */
export type PushPayload = { notificationId: string; kind: string; title: string; body: string; link: string; urgent: boolean };

/** Only paths inside the app open from a notification: anything else (another origin, `//host`) opens the start page. */
export function safeAppPath(link: unknown): string {
  return typeof link === 'string' && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/';
}
