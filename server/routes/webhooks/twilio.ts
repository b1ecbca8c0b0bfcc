import Router from '@koa/router';
import { isTwilioSignatureValid } from '../../channels/sms.js';
import { smsStatusRecorder } from '../../commands/deliveries.js';
import { AppError, badRequest, forbidden, notFound, validationFailed } from '../../errors.js';
import { boundaryError } from '../../../shared/schemas/common.js';
import type { AppContext, AppDeps } from '../context.js';
import { readRawBody } from '../rawBody.js';

const MAX_FORM_BYTES = 64 * 1024;

/** Reads an application/x-www-form-urlencoded body (the app's body parser takes JSON only). */
async function readForm(ctx: AppContext): Promise<Record<string, string>> {
  if (!ctx.request.is('application/x-www-form-urlencoded')) throw new AppError(415, 'bad_request', 'Twilio posts application/x-www-form-urlencoded');
  const form = Object.fromEntries(new URLSearchParams((await readRawBody(ctx, MAX_FORM_BYTES)).toString('utf8')));
  const unsafe = boundaryError(form);
  if (unsafe) throw validationFailed(unsafe);
  return form;
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
