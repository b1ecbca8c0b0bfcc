import type { StreamKind } from '../../shared/realtime.js';
import { readOrgSettings, type OrgSettings } from '../queries/settings.js';
import type { CommandContext } from './context.js';
import { changes as diff } from './audit/record.js';

/** The kinds of stream whose policy reads each setting: a change of it re-checks every socket following one. */
const streamKindsReading: Record<keyof OrgSettings, StreamKind[]> = {
  customerVisibility: ['customer'],
  // Report periods and deadlines: nobody's access to a report depends on them.
  timeZone: [],
  reportDaysAhead: [],
  reportClosedAfterDays: [],
  // Bounds of ladders set from now on: no stream's policy reads them.
  escalationLimits: [],
  // Bounds of uploads: nobody's access to a file depends on them.
  fileLimits: [],
};

/** Writes the given organisation settings (the route admits administrators only). */
export async function orgSettingsWriter(cx: CommandContext, changes: Partial<OrgSettings>): Promise<OrgSettings> {
  const before = await readOrgSettings(cx.em);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    await cx.em.execute(`INSERT INTO org_settings (key, value, updated_at) VALUES (?, ?, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`, [key, JSON.stringify(value)]);
  }
  const after = await readOrgSettings(cx.em);
  const kinds = (Object.keys(streamKindsReading) as (keyof OrgSettings)[]).filter((key) => before[key] !== after[key]).flatMap((key) => streamKindsReading[key]);
  const changed = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
  if (Object.keys(changed).length) await cx.audit({ action: 'settings.changed', targetType: 'settings', data: changed });
  if (kinds.length) cx.sockets.recheckAccess({ kinds: [...new Set(kinds)] });
  return after;
}
