import { defaultPreferences, notificationKinds } from '../../../shared/notifications.js';
import type { NotificationSettingsDTO } from '../../../shared/reminders.js';
import type { NotificationSettingsInput } from '../../../shared/schemas/reminders.js';
import { NotificationSettings } from '../../entities/NotificationSettings.js';
import { User } from '../../entities/User.js';
import { badRequest } from '../../errors.js';
import { presentNotificationSettings } from '../../presenters/notification.js';
import type { CommandContext } from '../context.js';

/** Changes the user's e-mail / SMS / push choices (a kind's channels left out keep their setting) per kind of notification and their quiet hours. */
export async function notificationSettingsUpdater(cx: CommandContext, input: NotificationSettingsInput): Promise<NotificationSettingsDTO> {
  const unknownKinds = Object.keys(input.preferences ?? {}).filter((k) => !(notificationKinds as readonly string[]).includes(k));
  if (unknownKinds.length) {
    throw badRequest(
      `Unknown kinds of notification: ${unknownKinds.join(', ')}`,
      unknownKinds.map((k) => ({ path: `preferences.${k}`, message: `must be one of ${notificationKinds.join(', ')}`, code: 'unknown_kind' })),
    );
  }
  const em = cx.em;
  let settings = await em.findOne(NotificationSettings, { user: cx.actor.id });
  if (!settings) settings = em.create(NotificationSettings, { user: em.getReference(User, cx.actor.id), preferences: {}, quietHours: null });
  if (input.preferences) {
    const merged = { ...settings.preferences };
    for (const [kind, choice] of Object.entries(input.preferences)) merged[kind] = { ...merged[kind], ...choice };
    settings.preferences = merged;
  }
  if (input.quietHours !== undefined) settings.quietHours = input.quietHours;
  await em.flush();
  return presentNotificationSettings(settings, defaultPreferences);
}
