import type { ReminderSource } from '../../../../shared/reminders';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';

/** Where a reminder the user did not set here comes from: a schedule entry, a contact's birthday, or a report rule. */
export function ReminderSourceLabel({ source }: { source: ReminderSource }) {
  const { t } = useI18n();
  return (
    <div className="muted" data-testid="reminder-source" data-kind={source.kind}>
      {source.kind === 'entry' ? (
        <Link to="/schedule">{t('reminders.source.entry', { title: source.entryTitle })}</Link>
      ) : source.kind === 'report_rule' ? (
        <Link to="/reports/settings">
          {t('reports.source.rule', { stage: t(`reports.source.${source.stage}`), kind: t(`reports.kind.${source.reportKind}`), department: source.departmentName ?? t('reports.source.org') })}
        </Link>
      ) : (
        <Link to={`/customers/${source.customerId}`}>{t('reminders.source.birthday', { contact: source.contactName, customer: source.customerName })}</Link>
      )}
    </div>
  );
}
