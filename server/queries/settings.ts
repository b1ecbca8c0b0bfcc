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
  const rows = await em.execute<{ key: string; value: unknown }[]>(`SELECT key, value FROM org_settings`);
  const settings = { ...defaults } as Record<string, unknown>;
  for (const row of rows) if (row.key in defaults) settings[row.key] = row.value;
  return settings as OrgSettings;
}
