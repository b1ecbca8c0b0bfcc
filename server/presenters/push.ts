import type { PushDeviceDTO } from '../../shared/push.js';

export type PushDeviceRow = { id: string; label: string; endpoint: string; created_at: Date; last_success_at: Date | null };

/** A device row as its owner sees it. */
export function presentPushDevice(row: PushDeviceRow): PushDeviceDTO {
  return { id: row.id, label: row.label, endpoint: row.endpoint, createdAt: new Date(row.created_at).toISOString(), lastSuccessAt: row.last_success_at ? new Date(row.last_success_at).toISOString() : null };
}
