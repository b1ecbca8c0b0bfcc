import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type ReceivedMail = { to: string[]; from: string; parsed: ParsedMail; at: number };

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that parses what it accepts with mailparser.
 * A message counts as received only when the server answered 250 on a live connection, as
 * RFC 5321 has the server take responsibility at that point.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Reply code for the next DATA commands: 250 accepts, 4xx / 5xx refuse. */
  reply: 250 | 451 | 550 = 250;
  /** While set, DATA waits for it before answering (to kill a sender mid-send). */
  hold?: Promise<void>;
  /** Resolves once some DATA is being held. */
  heldOnce?: () => void;
  private server?: SMTPServer;
  private readonly closedSessions = new Set<string>();
  private readonly heldSessions = new Set<string>();
  port = 0;

  constructor(private readonly options: { parse?: boolean } = {}) {}

  /** Starts listening (again, on the same port after stop()). */
  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onClose: (session) => {
        this.closedSessions.add(session.id);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          try {
            if (this.hold) {
              this.heldSessions.add(session.id);
              this.heldOnce?.();
              await this.hold;
            }
            if (this.reply !== 250) {
              const error = new Error(this.reply === 451 ? 'Try again later' : 'Mailbox unavailable') as Error & { responseCode: number };
              error.responseCode = this.reply;
              return callback(error);
            }
            // The sender vanished before our 250: by RFC 5321 it never handed the message over.
            const closed = this.closedSessions.has(session.id);
            const parsed = this.options.parse === false ? ({} as ParsedMail) : await simpleParser(Buffer.concat(chunks));
            if (!closed) this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), from: (session.envelope.mailFrom || { address: '' }).address, parsed, at: Date.now() });
            callback();
          } catch (error) {
            callback(error as Error);
          }
        });
      },
    });
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** True once every connection whose DATA was held has been closed by its client. */
  heldConnectionsClosed() {
    return [...this.heldSessions].every((id) => this.closedSessions.has(id));
  }

  /** How many connections whose DATA was held their client has closed (a killed sender's). */
  closedHeldConnections() {
    return [...this.heldSessions].filter((id) => this.closedSessions.has(id)).length;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages to one address. */
  to(address: string) {
    return this.messages.filter((m) => m.to.includes(address));
  }

  /** Stops listening and drops open connections (the "SMTP server is down" case). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const connection of (server as unknown as { connections: Set<{ close: () => void }> }).connections ?? []) connection.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
