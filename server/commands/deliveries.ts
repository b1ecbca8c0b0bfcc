import { announcementStream } from '../../shared/announcements.js';
import { appendEvent, type SystemContext } from './context.js';

/** The announcement an updated delivery's notification is about, if any (its ledger shows the outcome). */
const announcementOf = `(SELECT n.data->>'announcementId' FROM notifications n WHERE n.id = deliveries.notification_id AND n.kind = 'announcement') AS announcement_id`;

/** Records what Twilio reported about an SMS: delivered, or failed and why (queued / sending / sent add nothing). */
export async function smsStatusRecorder(cx: SystemContext, report: { sid: string; status: string; errorCode?: string }): Promise<void> {
  let changed: { announcement_id: string | null }[] = [];
  if (report.status === 'delivered') {
    changed = await cx.em.execute(`UPDATE deliveries SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE provider_id = ? AND channel = 'sms' RETURNING ${announcementOf}`, [report.sid]);
  } else if (report.status === 'failed' || report.status === 'undelivered') {
    const reason = `Twilio reported ${report.status}${report.errorCode ? ` (error ${report.errorCode})` : ''}`;
    changed = await cx.em.execute(`UPDATE deliveries SET status = 'failed', failed_at = now(), last_error = ?, updated_at = now() WHERE provider_id = ? AND channel = 'sms' AND status <> 'delivered' RETURNING ${announcementOf}`, [reason, report.sid]);
  }
  for (const id of new Set(changed.map((c) => c.announcement_id).filter((x): x is string => !!x))) await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'delivered' });
}
