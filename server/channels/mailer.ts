import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { DeliveryError, type Channel, type OutgoingEmail } from './types.js';

/** Transient by RFC 5321: 4xx replies and lost or refused connections; 5xx replies are final. */
export function classifySmtpError(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; message?: string; response?: string };
  const reason = `${e.code ?? 'SMTP'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${(e.response ?? e.message ?? String(error)).slice(0, 500)}`;
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  return new DeliveryError(reason, permanent);
}

/** The e-mail channel: pooled SMTP connections through nodemailer, or log-only without SMTP_URL. */
export function createMailChannel(config: Config, logger: Logger): Channel<OutgoingEmail> {
  if (!config.mail.smtpUrl) {
    return {
      provider: 'log',
      send: async (message) => {
        logger.info({ to: message.to, subject: message.subject }, 'e-mail not sent: SMTP_URL is not set (log-only channel)');
        return { providerId: null };
      },
      close: async () => {},
    };
  }
  const transport = nodemailer.createTransport({
    url: config.mail.smtpUrl,
    pool: true,
    maxConnections: config.mail.poolSize,
    maxMessages: 1000,
    // Bounded waits, well under the delivery claim, so a hung server never outlives the claim.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    provider: 'smtp',
    send: async (message) => {
      try {
        const info = await transport.sendMail({
          from: config.mail.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          // A stable Message-ID per delivery lets mail systems drop the copy of a retried send.
          messageId: message.messageId,
        });
        return { providerId: String(info.messageId ?? message.messageId) };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: async () => transport.close(),
  };
}
