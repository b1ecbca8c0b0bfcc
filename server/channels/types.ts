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

/** A configured sender, or the log-only stand-in when the channel has no configuration. */
export type Channel<M> = {
  provider: 'smtp' | 'twilio' | 'log';
  send: (message: M) => Promise<SendResult>;
  close: () => Promise<void>;
};
