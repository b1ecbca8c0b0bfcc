import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomerVisibility } from '../../shared/customers.js';
import { defaultEscalationLimits, type EscalationLimits } from '../../shared/announcements.js';
import { defaultFileLimits, type FileLimits } from '../../shared/files.js';

/**
 * Organisation settings with their defaults; one row per key in org_settings. `timeZone` is the
 * organisation's own (report periods and deadlines); a report may be opened at most
 * `reportDaysAhead` days before its period starts and submitted until `reportClosedAfterDays` days
 * after its deadline; `escalationLimits` bound announcements' escalation ladders.
 */
export type OrgSettings = { customerVisibility: CustomerVisibility; timeZone: string; reportDaysAhead: number; reportClosedAfterDays: number; escalationLimits: EscalationLimits; fileLimits: FileLimits };
export const orgSettingDefaults: OrgSettings = { customerVisibility: 'everyone', timeZone: 'Asia/Shanghai', reportDaysAhead: 7, reportClosedAfterDays: 30, escalationLimits: defaultEscalationLimits, fileLimits: defaultFileLimits };
const defaults = orgSettingDefaults;

/** The organisation's settings, defaults filled in. */
export async function readOrgSettings(em: EntityManager): Promise<OrgSettings> {
  return orgSettingsOf(await em.execute<{ key: string; value: unknown }[]>(`SELECT key, value FROM org_settings`));
}

/** SQL: the org_settings rows as one JSON object (key → value), for a statement that reads them beside other things. */
export const orgSettingsJsonSql = `(SELECT coalesce(json_object_agg(key, value), '{}') FROM org_settings)`;

/** The settings, defaults filled in, from org_settings rows (or orgSettingsJsonSql's object). */
export function orgSettingsOf(rows: { key: string; value: unknown }[] | Record<string, unknown>): OrgSettings {
  const settings = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Array.isArray(rows) ? rows.map((r) => [r.key, r.value] as const) : Object.entries(rows)) if (key in defaults) settings[key] = value;
  return settings as OrgSettings;
}
