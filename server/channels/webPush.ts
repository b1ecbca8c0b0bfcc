import webpush from 'web-push';
import type { Config } from '../config/env.js';
import type { VapidKeys } from './vapidKeys.js';
import { DeliveryError, SubscriptionGoneError, type Channel, type OutgoingPush } from './types.js';

// A push waits this long at the push service for a device that is offline; a reminder a day late is no use.
const TTL_SECONDS = 24 * 3600;
const TIMEOUT_MS = 15_000;

/** Transient: 429, 5xx and network errors; the subscription is gone: 404, 410; other answers are permanent. */
export function classifyPushAnswer(status: number, text: string): DeliveryError {
  const reason = `push service ${status}: ${text.slice(0, 300) || 'no reason given'}`;
  if (status === 404 || status === 410) return new SubscriptionGoneError(reason);
  if (status === 429 || status >= 500) return new DeliveryError(reason, false);
  return new DeliveryError(reason, true);
}

/**
 * The Web Push channel (RFC 8030 / 8291 / 8292): the `web-push` package encrypts the payload to
 * the device's keys and signs the VAPID header; the request itself goes out with fetch, because the
 * package's own sender speaks only https and a local push service (development, the tests) speaks
 * http. Which endpoints are accepted at all is decided when a device subscribes.
 */
export function createPushChannel(config: Pick<Config, 'webPush'>, keys: VapidKeys): Channel<OutgoingPush> {
  const vapidDetails = { subject: config.webPush.subject, publicKey: keys.publicKey, privateKey: keys.privateKey };
  return {
    provider: 'webpush',
    async send(message) {
      let request: ReturnType<typeof webpush.generateRequestDetails>;
      try {
        request = webpush.generateRequestDetails({ endpoint: message.endpoint, keys: message.keys }, message.payload, {
          vapidDetails,
          TTL: TTL_SECONDS,
          urgency: message.urgent ? 'high' : 'normal',
          contentEncoding: 'aes128gcm',
        });
      } catch (error) {
        throw new DeliveryError(`cannot encrypt to this subscription: ${(error as Error).message}`, true);
      }
      let answer: Response;
      try {
        answer = await fetch(request.endpoint, { method: 'POST', headers: request.headers as Record<string, string>, body: new Uint8Array(request.body as Buffer), signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new DeliveryError(`push service unreachable: ${(error as Error).message}`, false);
      }
      const text = await answer.text().catch(() => '');
      if (answer.status >= 200 && answer.status < 300) return { providerId: answer.headers.get('location')?.slice(0, 100) ?? null };
      throw classifyPushAnswer(answer.status, text);
    },
    close: async () => undefined,
  };
}
