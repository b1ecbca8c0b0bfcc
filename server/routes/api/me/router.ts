import Router from '@koa/router';
import { profileUpdateSchema } from '../../../../shared/schemas/org.js';
import { notificationSettingsSchema } from '../../../../shared/schemas/reminders.js';
import { calendarLinkCreator, calendarLinkRevoker } from '../../../commands/calendar.js';
import { notificationSettingsUpdater } from '../../../commands/notifications/preferences.js';
import { profileUpdater } from '../../../commands/users.js';
import { calendarLinkStatus } from '../../../queries/calendar.js';
import { me } from '../../../queries/me.js';
import { notificationSettings } from '../../../queries/notifications.js';
import { findSubordinates } from '../../../policies/hierarchy.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

const P = '/api/me';

/** The signed-in user's own things: profile, subordinates, delivery preferences and calendar link. */
export function meRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  route(router, P, { method: 'get', path: '/', summary: 'The signed-in user with department, superiors and what they may do', tag: 'me', access: 'user' }, async ({ ctx, user }) => me(ctx.state.em, user));
  route(router, P, { method: 'patch', path: '/', summary: 'Change one’s name, language, time zone or mobile number', tag: 'me', access: 'user', body: profileUpdateSchema }, async ({ ctx, run, body }) =>
    me(ctx.state.em, await run((cx) => profileUpdater(cx, body))),
  );
  route(router, P, { method: 'get', path: '/subordinates', summary: 'Everyone in the departments the user manages, and below', tag: 'me', access: 'user' }, async ({ ctx, user }) =>
    findSubordinates(ctx.state.em, user.id),
  );
  route(router, P, { method: 'get', path: '/notification-settings', summary: 'E-mail / SMS per kind of notification, and quiet hours', tag: 'notifications', access: 'user' }, async ({ ctx, user }) =>
    notificationSettings(ctx.state.em, user.id),
  );
  route(router, P, { method: 'patch', path: '/notification-settings', summary: 'Change one’s delivery preferences and quiet hours', tag: 'notifications', access: 'user', body: notificationSettingsSchema }, async ({ run, body }) =>
    run((cx) => notificationSettingsUpdater(cx, body)),
  );
  route(router, P, { method: 'get', path: '/calendar-link', summary: 'Whether the user has a calendar link, and since when', tag: 'calendar', access: 'user' }, async ({ ctx, user }) =>
    calendarLinkStatus(ctx.state.em, user.id),
  );
  route(router, P, { method: 'post', path: '/calendar-link', summary: 'Make a new private .ics link (replacing any earlier one)', tag: 'calendar', access: 'user', status: 201 }, async ({ run }) => ({
    url: `${deps.config.publicUrl}/calendar/${await run((cx) => calendarLinkCreator(cx))}.ics`,
  }));
  route(router, P, { method: 'delete', path: '/calendar-link', summary: 'Revoke the calendar link', tag: 'calendar', access: 'user', status: 204 }, async ({ run }) => {
    await run((cx) => calendarLinkRevoker(cx));
  });
  return router;
}
