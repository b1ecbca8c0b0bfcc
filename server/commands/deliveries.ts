import type { SystemContext } from './context.js';

/** Records what Twilio reported about an SMS: delivered, or failed and why (queued / sending / sent add nothing). */
export async function smsStatusRecorder(cx: SystemContext, report: { sid: string; status: string; errorCode?: string }): Promise<void> {
  if (report.status === 'delivered') {
    await cx.em.execute(`UPDATE deliveries SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE provider_id = ? AND channel = 'sms'`, [report.sid]);
  } else if (report.status === 'failed' || report.status === 'undelivered') {
    const reason = `Twilio reported ${report.status}${report.errorCode ? ` (error ${report.errorCode})` : ''}`;
    await cx.em.execute(`UPDATE deliveries SET status = 'failed', failed_at = now(), last_error = ?, updated_at = now() WHERE provider_id = ? AND channel = 'sms' AND status <> 'delivered'`, [reason, report.sid]);
  }
}
