import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export const TWILIO = {
  accountSid: 'AC' + 'a1'.repeat(16),
  authToken: 'b2'.repeat(16),
  from: '+15005550006',
};

export type SmsRequest = { to: string; from?: string; messagingServiceSid?: string; body: string; statusCallback?: string; sid?: string; status: number; at: number };
type Scripted = { status: number; code?: number; message?: string };

/**
 * A local stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json):
 * checks the basic auth and the form fields as Twilio does, and answers with scripted errors.
 */
export class TwilioStandIn {
  readonly requests: SmsRequest[] = [];
  /** Answers for the next requests to a number, in order; afterwards 201. */
  private readonly scripts = new Map<string, Scripted[]>();
  private server?: http.Server;
  url = '';

  /** Scripts the answers for the next requests to one phone number. */
  script(to: string, answers: Scripted[]) {
    this.scripts.set(to, [...answers]);
  }

  /** Requests that Twilio accepted (201), per phone number. */
  accepted(to: string) {
    return this.requests.filter((r) => r.to === to && r.status === 201);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) => send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return error(404, 20404, 'The requested resource was not found');
    const expected = 'Basic ' + Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString('base64');
    if (req.headers.authorization !== expected || match[1] !== TWILIO.accountSid) return error(401, 20003, 'Authenticate');
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return error(400, 20001, 'Form body expected');
    const form = new URLSearchParams(raw);
    const request: SmsRequest = {
      to: form.get('To') ?? '',
      from: form.get('From') ?? undefined,
      messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(request);
    const reply = (status: number, body: unknown) => {
      request.status = status;
      send(status, body);
    };
    if (!request.to) return ((request.status = 400), error(400, 21604, "A 'To' phone number is required."));
    if (!request.body) return ((request.status = 400), error(400, 21602, 'Message body is required.'));
    if (!request.from && !request.messagingServiceSid) return ((request.status = 400), error(400, 21603, "A 'From' phone number is required."));
    const scripted = this.scripts.get(request.to)?.shift();
    if (scripted) {
      request.status = scripted.status;
      return error(scripted.status, scripted.code ?? scripted.status, scripted.message ?? 'Scripted failure');
    }
    if (!/^\+[1-9]\d{6,14}$/.test(request.to)) return ((request.status = 400), error(400, 21211, `The 'To' number ${request.to} is not a valid phone number.`));
    request.sid = 'SM' + randomBytes(16).toString('hex');
    reply(201, {
      sid: request.sid,
      account_sid: TWILIO.accountSid,
      to: request.to,
      from: request.from ?? null,
      messaging_service_sid: request.messagingServiceSid ?? null,
      body: request.body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${request.sid}.json`,
    });
  }

  /** Posts a status callback as Twilio would: to `target` (the server), signed over the StatusCallback URL. */
  async callback(target: string, request: SmsRequest, status: string, options: { forge?: boolean; errorCode?: string } = {}) {
    const params: Record<string, string> = { MessageSid: request.sid!, MessageStatus: status, AccountSid: TWILIO.accountSid, To: request.to, ...(options.errorCode ? { ErrorCode: options.errorCode } : {}) };
    const signature = twilio.getExpectedTwilioSignature(options.forge ? 'not-the-token' : TWILIO.authToken, request.statusCallback!, params);
    const path = new URL(request.statusCallback!).pathname;
    return fetch(target + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
