import { readOrgSettings, type OrgSettings } from '../queries/settings.js';
import type { CommandContext } from './context.js';

/** Writes the given organisation settings (the route admits administrators only). */
export async function orgSettingsWriter(cx: CommandContext, changes: Partial<OrgSettings>): Promise<OrgSettings> {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    await cx.em.execute(`INSERT INTO org_settings (key, value, updated_at) VALUES (?, ?, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`, [key, JSON.stringify(value)]);
  }
  return readOrgSettings(cx.em);
}
