import { useCallback, useEffect, useState } from 'react';
import { customerStream } from '../../../../shared/customers';
import { userStream } from '../../../../shared/realtime';
import { reportStream } from '../../../../shared/reports';
import { threadStream } from '../../../../shared/boards';
import type { NotificationDTO } from '../../../../shared/dto';
import type { WorkbenchDTO, WorkbenchReportDTO } from '../../../../shared/workbench';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { conversationTitle } from '../chat/conversationTitle';
import { Block, StreamFollower, useCoalesced } from './Block';
import { EntryItem } from './EntryItem';
import { workbenchApi } from './workbenchApi';
import './workbench.css';

/**
 * `/`: the workbench (工作台). What to do today, each block from its feature's own query, each
 * linking to where the work is done. Live: the user's stream (notifications, chat, reminders,
 * announcements, boards' unread counts) and the streams of the customers, reports and threads shown
 * make it ask again.
 */
export function WorkbenchPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [data, setData] = useState<WorkbenchDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => workbenchApi.workbench().then((d) => (setData(d), setError(null)), setError), []);
  useEffect(() => void load(), [load]);
  const reload = useCoalesced(load);
  const followed = data
    ? [
        userStream(me.id),
        ...data.customers.items.map((c) => customerStream(c.id)),
        ...data.reports.periods.flatMap((p) => (p.report ? [reportStream(p.report.id)] : [])),
        ...data.threads.map((th) => threadStream(th.id)),
      ]
    : [userStream(me.id)];

  return (
    <section className="page workbench" data-testid="home-page">
      <h1 data-testid="home-title">{t('home.title', { name: me.displayName })}</h1>
      <p className="muted">
        <span data-testid="home-department">{me.department.name}</span>
        {data && ` · ${data.today}`}
      </p>
      {followed.map((stream) => <StreamFollower key={stream} stream={stream} onEvent={reload} />)}
      <ErrorNotice error={error} testId="workbench-error" />
      {data && (
        <div className="workbench-grid" data-testid="workbench">
          <Block
            id="schedule"
            title={t('workbench.schedule')}
            to="/schedule"
            empty={!data.entries.today.length && !data.entries.tomorrow.length}
            emptyText={t('workbench.schedule.empty')}
            emptyAction={<Link to="/schedule" className="button-primary">{t('workbench.schedule.add')}</Link>}
          >
            {(['today', 'tomorrow'] as const).map((day) => (
              <div key={day} className="stack-tight">
                <h3>{t(`workbench.${day}`)} <span className="muted">{day === 'today' ? data.today : data.tomorrow}</span></h3>
                <ul className="item-list" data-testid={`entries-${day}`}>
                  {data.entries[day].map((entry) => <EntryItem key={`${entry.id}@${entry.startsAt}`} entry={entry} timeZone={data.timeZone} onChanged={reload} />)}
                </ul>
              </div>
            ))}
          </Block>

          <Block id="reports" title={t('workbench.reports')} to="/reports/mine" empty={!data.reports.periods.length && !data.reports.annotations.length} emptyText={t('workbench.reports.empty')}>
            <ul className="item-list">
              {data.reports.periods.map((p) => <ReportPeriodItem key={p.kind} period={p} timeZone={data.timeZone} />)}
            </ul>
            <NotificationList title={t('workbench.reports.annotations')} items={data.reports.annotations} testId="report-annotations" fallback="/reports/mine" timeZone={data.timeZone} />
          </Block>

          <Block id="chat" title={t('workbench.chat')} to="/chat" empty={!data.chat.conversations.length && !data.chat.mentions.length} emptyText={t('workbench.chat.empty')}>
            <ul className="item-list">
              {data.chat.conversations.map((c) => (
                <li key={c.id} className="item" data-testid="workbench-conversation">
                  <Link to={`/chat/${c.id}`} className="item-main">{conversationTitle(c, t)}</Link>
                  <span className="badge" aria-label={t('workbench.chat.unread', { count: c.unreadCount })}>{c.unreadCount}</span>
                </li>
              ))}
            </ul>
            <NotificationList title={t('workbench.chat.mentions')} items={data.chat.mentions} testId="mentions" fallback="/chat" timeZone={data.timeZone} />
          </Block>

          <Block id="reminders" title={t('workbench.reminders')} to="/reminders" empty={!data.reminders.due.length && !data.reminders.upcoming.length} emptyText={t('workbench.reminders.empty')}>
            <NotificationList title={t('workbench.reminders.due')} items={data.reminders.due} testId="reminders-due" fallback="/reminders" timeZone={data.timeZone} />
            {data.reminders.upcoming.length > 0 && (
              <div className="stack-tight">
                <h3>{t('workbench.reminders.upcoming')}</h3>
                <ul className="item-list" data-testid="reminders-upcoming">
                  {data.reminders.upcoming.map((r) => (
                    <li key={r.id} className="item">
                      <Link to={`/reminders/${r.id}`} className="item-main">{r.title}</Link>
                      {r.nextDueAt && <span className="muted">{formatDateTime(r.nextDueAt, data.timeZone)}</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </Block>

          <Block id="announcements" title={t('workbench.announcements')} to="/announcements" empty={!data.announcements.items.length} emptyText={t('workbench.announcements.empty')}>
            <ul className="item-list">
              {data.announcements.items.map((a) => (
                <li key={a.id} className="item" data-testid="workbench-announcement" data-priority={a.priority}>
                  <Link to={`/announcements/${a.id}`} className="item-main">
                    {a.priority !== 'normal' && <span className={`tag ${a.priority === 'urgent' ? 'tag-urgent' : 'tag-info'}`}>{t(`announcements.priority.${a.priority}`)}</span>} {a.title}
                  </Link>
                  <span className="muted">{a.receipt?.firstReadAt ? t('workbench.announcements.toAcknowledge') : t('workbench.announcements.unread')}</span>
                </li>
              ))}
            </ul>
          </Block>

          <Block id="customers" title={t('workbench.customers')} to="/customers" empty={!data.customers.items.length} emptyText={t('workbench.customers.empty', { days: data.customers.days })}>
            <ul className="item-list">
              {data.customers.items.map((c) => (
                <li key={c.id} className="item" data-testid="workbench-customer">
                  <Link to={`/customers/${c.id}`} className="item-main">
                    {c.tier && <span className="tag tag-info">{t(`customers.tier.${c.tier}`)}</span>} {c.name}
                  </Link>
                  <span className="muted">{c.lastContactAt ? t('workbench.customers.since', { at: formatDateTime(c.lastContactAt, data.timeZone) }) : t('workbench.customers.never')}</span>
                </li>
              ))}
            </ul>
          </Block>

          <Block id="threads" title={t('workbench.threads')} to="/boards" empty={!data.threads.length} emptyText={t('workbench.threads.empty')}>
            <ul className="item-list">
              {data.threads.map((th) => (
                <li key={th.id} className="item" data-testid="workbench-thread">
                  <Link to={`/boards/threads/${th.id}`} className="item-main">{th.title}</Link>
                  {th.unread.newReplies > 0 ? (
                    <span className="badge">{t('workbench.threads.newReplies', { count: th.unread.newReplies })}</span>
                  ) : th.unread.isNew ? (
                    <span className="badge">{t('workbench.threads.new')}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </Block>
        </div>
      )}
    </section>
  );
}

/** This period's report of a kind: write it, continue the draft, or see it submitted. */
function ReportPeriodItem({ period, timeZone }: { period: WorkbenchReportDTO; timeZone: string }) {
  const { t, formatDateTime } = useI18n();
  const kind = t(`reports.kind.${period.kind}`);
  const { report } = period;
  const overdue = period.required && report?.status !== 'submitted' && Date.parse(period.deadlineAt) < Date.now();
  return (
    <li className="item" data-testid="workbench-report" data-kind={period.kind} data-state={report?.status ?? 'none'}>
      <div className="item-main stack-tight">
        <strong>{kind}</strong>
        <span className={overdue ? 'workbench-overdue' : 'muted'} data-testid="report-deadline">
          {period.required ? t(overdue ? 'workbench.reports.overdue' : 'workbench.reports.deadline', { at: formatDateTime(period.deadlineAt, timeZone) }) : t('workbench.reports.notRequired')}
        </span>
      </div>
      {!report ? (
        <Link to={`/reports/write?kind=${period.kind}&date=${period.periodStart}`} className="button-primary" data-testid="write-report">{t('workbench.reports.write', { kind })}</Link>
      ) : report.status === 'draft' ? (
        <Link to={`/reports/${report.id}`} className="button-quiet">{t('workbench.reports.draft')}</Link>
      ) : (
        <Link to={`/reports/${report.id}`}>{report.late ? t('workbench.reports.late') : t('workbench.reports.submitted')}</Link>
      )}
    </li>
  );
}

/** Notifications (mentions, fired reminders, annotations) linking to what each is about. */
function NotificationList({ title, items, testId, fallback, timeZone }: { title: string; items: NotificationDTO[]; testId: string; fallback: string; timeZone: string }) {
  const { formatDateTime } = useI18n();
  if (!items.length) return null;
  return (
    <div className="stack-tight">
      <h3>{title}</h3>
      <ul className="item-list" data-testid={testId}>
        {items.map((n) => (
          <li key={n.id} className="item">
            <Link to={n.link ?? fallback} className="item-main">{n.title}</Link>
            <span className="muted">{formatDateTime(n.createdAt, timeZone)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
