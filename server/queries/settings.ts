import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomerVisibility } from '../../shared/customers.js';
import { defaultEscalationLimits, type EscalationLimits } from '../../shared/announcements.js';

/** Organisation settings with their defaults; one row per key in org_settings. */
export type OrgSettings = { customerVisibility: CustomerVisibility; escalationLimits: EscalationLimits };
const defaults: OrgSettings = { customerVisibility: 'everyone', escalationLimits: defaultEscalationLimits };

/** The organisation's settings, defaults filled in. */
export async function readOrgSettings(em: EntityManager): Promise<OrgSettings> {
  const rows = await em.execute<{ key: string; value: unknown }[]>(`SELECT key, value FROM org_settings`);
  const settings = { ...defaults } as Record<string, unknown>;
  for (const row of rows) if (row.key in defaults) settings[row.key] = row.value;
  return settings as OrgSettings;
}
