import Router from '@koa/router';
import { isTwilioSignatureValid } from '../../channels/sms.js';
import { smsStatusRecorder } from '../../commands/deliveries.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import type { AppContext, AppDeps } from '../context.js';

const MAX_FORM_BYTES = 64 * 1024;

/** Reads an application/x-www-form-urlencoded body (the app's body parser takes JSON only). */
async function readForm(ctx: AppContext): Promise<Record<string, string>> {
  if (!ctx.request.is('application/x-www-form-urlencoded')) throw new AppError(415, 'bad_request', 'Twilio posts application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new AppError(413, 'payload_too_large', 'The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Twilio's delivery-status callbacks. The signature covers the public URL Twilio called and the
 * posted fields, so it is checked against PUBLIC_URL (the address given as StatusCallback).
 */
export function twilioWebhookRouter(deps: AppDeps) {
  const router = new Router();
  router.post('/webhooks/twilio/status', async (koaCtx) => {
    const ctx = koaCtx as unknown as AppContext;
    const token = deps.config.sms.authToken;
    if (!token) throw notFound('The Twilio webhook');
    const form = await readForm(ctx);
    const signature = ctx.get('x-twilio-signature');
    if (!signature || !isTwilioSignatureValid(token, signature, deps.config.publicUrl + ctx.originalUrl, form)) {
      throw forbidden('The X-Twilio-Signature does not match');
    }
    const sid = form.MessageSid ?? form.SmsSid;
    const status = form.MessageStatus ?? form.SmsStatus;
    if (!sid || !status) throw badRequest('MessageSid and MessageStatus are required');
    await deps.runner.run(ctx.state.em, null, (cx) => smsStatusRecorder(cx, { sid, status, errorCode: form.ErrorCode }));
    ctx.status = 204;
  });
  return router;
}
