import Router from '@koa/router';
import { orgSettingsSchema } from '../../../../shared/schemas/customers.js';
import { orgSettingsWriter } from '../../../commands/settings.js';
import { readOrgSettings } from '../../../queries/settings.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

const P = '/api/settings';

/** Organisation settings: everyone reads them, administrators change them. */
export function settingsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  route(router, P, { method: 'get', path: '/', summary: 'The organisation settings', tag: 'settings', access: 'user' }, async ({ ctx }) => readOrgSettings(ctx.state.em));
  route(router, P, { method: 'patch', path: '/', summary: 'Change organisation settings (admin)', tag: 'settings', access: 'admin', body: orgSettingsSchema }, async ({ run, body }) => run((cx) => orgSettingsWriter(cx, body)));
  return router;
}
