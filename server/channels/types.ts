/** What a channel reports for one attempt. */
export type SendResult = { providerId: string | null };

/** A failed attempt: `permanent` ones are not retried (SMTP 5xx, an invalid phone number). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type OutgoingEmail = { to: string; subject: string; text: string; html: string; messageId: string };
export type OutgoingSms = { to: string; body: string; statusCallback: string };
/** One push to one device: where, the keys to encrypt to, and the JSON text the service worker shows. */
export type OutgoingPush = { endpoint: string; keys: { p256dh: string; auth: string }; payload: string; urgent: boolean };

/** The push service says the subscription no longer exists (404 / 410): the device is removed, never retried. */
export class SubscriptionGoneError extends DeliveryError {
  constructor(message: string) {
    super(message, true);
    this.name = 'SubscriptionGoneError';
  }
}

/** A configured sender, or the log-only stand-in when the channel has no configuration. */
export type Channel<M> = {
  provider: 'smtp' | 'twilio' | 'webpush' | 'log';
  send: (message: M) => Promise<SendResult>;
  close: () => Promise<void>;
};
