import type RequestClientClass from 'twilio/lib/base/RequestClient.js';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { DeliveryError, type Channel, type OutgoingSms } from './types.js';

/**
 * The official client has https://api.twilio.com (and regional hosts) built in; this request
 * client swaps the origin for TWILIO_API_BASE_URL, so a stand-in or a proxy can answer.
 */
const rebasedRequestClient = (Base: typeof RequestClientClass, base: URL) =>
  new (class RebasedRequestClient extends Base {
    constructor() {
      super({ keepAlive: true, timeout: 15_000 });
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const target = new URL(opts.uri);
      const rebased = new URL(target.pathname + target.search, base);
      return super.request<TData>({ ...opts, uri: rebased.toString() });
    }
  })();

/**
 * The SDK takes most of a second to load, so it is loaded only where Twilio is configured (and
 * then at once, in the background, so that the first due SMS does not wait for it).
 */
async function connectTwilio(accountSid: string, authToken: string, apiBaseUrl: string | undefined) {
  const { default: twilio } = await import('twilio');
  const client = twilio(accountSid, authToken, apiBaseUrl ? { httpClient: rebasedRequestClient(twilio.RequestClient, new URL(apiBaseUrl)) } : { autoRetry: false });
  // The SDK loads its API modules on first use; loading them now keeps that pause off the first due SMS.
  void client.messages;
  return client;
}

// Twilio error codes that will fail the same way again: invalid or unreachable numbers, opt-outs.
const permanentCodes = new Set([21211, 21214, 21407, 21408, 21421, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007]);

/** Transient: HTTP 429, 5xx and network errors; permanent: invalid numbers and other 4xx. */
export function classifyTwilioError(error: unknown): DeliveryError {
  const e = error as { status?: number; code?: number | string; message?: string };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const reason = `Twilio${status ? ` ${status}` : ''}${e.code !== undefined ? ` code ${e.code}` : ''}: ${(e.message ?? String(error)).slice(0, 500)}`;
  if (typeof e.code === 'number' && permanentCodes.has(e.code)) return new DeliveryError(reason, true);
  if (status === undefined || status === 429 || status >= 500) return new DeliveryError(reason, false);
  return new DeliveryError(reason, true);
}

/** The SMS channel: Twilio's Messages API through the official SDK, or log-only without Twilio settings. */
export function createSmsChannel(config: Config, logger: Logger): Channel<OutgoingSms> {
  const { accountSid, authToken, from, messagingServiceSid, apiBaseUrl } = config.sms;
  if (!accountSid || !authToken) {
    return {
      provider: 'log',
      send: async (message) => {
        logger.info({ to: message.to, length: message.body.length }, 'SMS not sent: Twilio is not configured (log-only channel)');
        return { providerId: null };
      },
      close: async () => {},
    };
  }
  const connecting = connectTwilio(accountSid, authToken, apiBaseUrl);
  // A failed load surfaces on the first send; this keeps it from being an unhandled rejection before then.
  connecting.catch(() => {});
  return {
    provider: 'twilio',
    send: async (message) => {
      try {
        const client = await connecting;
        const sent = await client.messages.create({
          to: message.to,
          body: message.body,
          statusCallback: message.statusCallback,
          ...(messagingServiceSid ? { messagingServiceSid } : { from: from! }),
        });
        return { providerId: sent.sid };
      } catch (error) {
        throw classifyTwilioError(error);
      }
    },
    close: async () => {},
  };
}

/** Checks X-Twilio-Signature over the public callback URL and the posted form fields. */
export function isTwilioSignatureValid(authToken: string, signature: string, url: string, params: Record<string, string>): boolean {
  return validateRequest(authToken, signature, url, params);
}
