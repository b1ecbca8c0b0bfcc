import { useCallback, useEffect, useRef, useState } from 'react';
import { announcementStream, type AnnouncementDTO, type ChannelOutcome, type LedgerRowDTO, type LedgerSummaryDTO } from '../../../../shared/announcements';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { announcementsApi, type LedgerFilter } from './announcementsApi';
import './announcements.css';

const states = ['unacknowledged', 'unread', 'read', 'acknowledged'] as const;

/** One channel's outcome in a ledger row: the delivery log's status, with why it failed. */
function Outcome({ outcome }: { outcome: ChannelOutcome | null }) {
  const { t } = useI18n();
  if (!outcome) return <span className="muted">—</span>;
  return (
    <span className={`delivery-status status-${outcome.status}`} title={outcome.error ?? undefined} data-status={outcome.status}>
      {t(`delivery.status.${outcome.status}`)}
    </span>
  );
}

/** A department's bar: acknowledged, read and unread side by side, in proportion. */
function DepartmentBar({ d, active, onPick }: { d: LedgerSummaryDTO['departments'][number]; active: boolean; onPick: () => void }) {
  const { t } = useI18n();
  const part = (n: number) => `${d.total ? (n / d.total) * 100 : 0}%`;
  return (
    <li className={active ? 'ledger-bar active' : 'ledger-bar'} data-testid="ledger-department" data-department-id={d.id} data-acknowledged={d.acknowledged} data-total={d.total}>
      <button type="button" className="link-button" onClick={onPick}>
        {d.name}
      </button>
      <span className="bar" role="img" aria-label={t('announcements.ledger.barLabel', { acknowledged: d.acknowledged, read: d.read, unread: d.unread })}>
        <span className="bar-acknowledged" style={{ width: part(d.acknowledged) }} />
        <span className="bar-read" style={{ width: part(d.read) }} />
        <span className="bar-unread" style={{ width: part(d.unread) }} />
      </span>
      <span className="bar-figure">
        {d.acknowledged}/{d.total} · {d.percentAcknowledged}%
      </span>
    </li>
  );
}

/**
 * Who received, read and acknowledged an announcement: counts and percentages, per department,
 * the list by state (paged, exportable as CSV), reminding by hand; live as people read and acknowledge.
 */
export function LedgerPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [announcement, setAnnouncement] = useState<AnnouncementDTO | null>(null);
  const [summary, setSummary] = useState<LedgerSummaryDTO | null>(null);
  const [filter, setFilter] = useState<LedgerFilter>({});
  const [rows, setRows] = useState<{ items: LedgerRowDTO[]; nextCursor: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [channel, setChannel] = useState<'app' | 'email' | 'sms'>('email');
  const asked = useRef(0);

  const load = useCallback(async () => {
    const ask = ++asked.current;
    try {
      const [a, s, page] = await Promise.all([announcementsApi.get(id), announcementsApi.ledger(id), announcementsApi.ledgerRows(id, filter)]);
      if (ask !== asked.current) return;
      setAnnouncement(a);
      setSummary(s);
      setRows(page);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id, filter]);
  useEffect(() => void load(), [load]);

  // Changes come as a signal without names; each viewer reads again what their rights show. Bursts are read once.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useStream(announcementStream(id), () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void load();
    }, 300);
  });
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);

  const more = async () => {
    if (!rows?.nextCursor) return;
    try {
      const page = await announcementsApi.ledgerRows(id, filter, rows.nextCursor);
      setRows({ items: [...rows.items, ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setError(e);
    }
  };
  const remind = async () => {
    setDone(null);
    try {
      const { reminded } = await announcementsApi.remind(id, channel);
      setDone(t('announcements.ledger.reminded', { count: reminded }));
      await load();
    } catch (e) {
      setError(e);
    }
  };

  if (!summary || !announcement) return <section className="page"><ErrorNotice error={error} testId="ledger-error" /></section>;
  const waitUntil = summary.remindAvailableAt && Date.parse(summary.remindAvailableAt) > Date.now() ? summary.remindAvailableAt : null;
  return (
    <section className="page" data-testid="ledger-page" data-id={id}>
      <p>
        <Link to={`/announcements/${id}`}>{t('announcements.ledger.back')}</Link>
      </p>
      <h1>{t('announcements.ledger.title', { title: announcement.title })}</h1>
      {summary.scope === 'subtree' && <p className="muted" data-testid="ledger-subtree">{t('announcements.ledger.subtree')}</p>}
      <ErrorNotice error={error} testId="ledger-error" onDismiss={() => setError(null)} />
      <SuccessNotice message={done} testId="ledger-done" />
      <dl className="ledger-counts" data-testid="ledger-counts">
        <div>
          <dt>{t('announcements.ledger.total')}</dt>
          <dd data-testid="ledger-total">{summary.total}</dd>
        </div>
        <div>
          <dt>{t('announcements.ledger.state.unread')}</dt>
          <dd data-testid="ledger-unread">{summary.unread}</dd>
        </div>
        <div>
          <dt>{t('announcements.ledger.state.read')}</dt>
          <dd data-testid="ledger-read">
            {summary.read} <span className="muted">({summary.percent.read}%)</span>
          </dd>
        </div>
        {summary.requiresAck && (
          <div>
            <dt>{t('announcements.ledger.state.acknowledged')}</dt>
            <dd data-testid="ledger-acknowledged" data-count={summary.acknowledged}>
              {summary.acknowledged} <span className="muted">({summary.percent.acknowledged}%)</span>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('announcements.channel.email')}</dt>
          <dd className="muted">{Object.entries(summary.channels.email).map(([s, n]) => `${t(`delivery.status.${s as ChannelOutcome['status']}`)} ${n}`).join(' · ') || '—'}</dd>
        </div>
        <div>
          <dt>{t('announcements.channel.sms')}</dt>
          <dd className="muted">{Object.entries(summary.channels.sms).map(([s, n]) => `${t(`delivery.status.${s as ChannelOutcome['status']}`)} ${n}`).join(' · ') || '—'}</dd>
        </div>
      </dl>
      <section>
        <h2 className="section-title">{t('announcements.ledger.departments')}</h2>
        <ul className="ledger-bars">
          {summary.departments.map((d) => (
            <DepartmentBar key={d.id} d={d} active={filter.departmentId === d.id} onPick={() => setFilter({ ...filter, departmentId: filter.departmentId === d.id ? undefined : d.id })} />
          ))}
        </ul>
      </section>
      {announcement.can.remind && (
        <div className="actions" data-testid="ledger-remind">
          <select value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)} aria-label={t('announcements.ladder.channel')}>
            {(['app', 'email', 'sms'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`announcements.channel.${c}`)}
              </option>
            ))}
          </select>
          <button type="button" className="button" disabled={!!waitUntil} onClick={() => void remind()} data-testid="ledger-remind-button">
            {t('announcements.ledger.remind')}
          </button>
          {waitUntil && <span className="muted">{t('announcements.ledger.remindWait', { at: formatDateTime(waitUntil, me.timeZone) })}</span>}
        </div>
      )}
      <nav className="tabs announcement-tabs" aria-label={t('announcements.ledger.filter')}>
        <button type="button" className={!filter.state ? 'tab active' : 'tab'} onClick={() => setFilter({ ...filter, state: undefined })} data-testid="ledger-filter-all">
          {t('announcements.ledger.all')}
        </button>
        {states
          .filter((s) => summary.requiresAck || (s !== 'acknowledged' && s !== 'unacknowledged'))
          .map((s) => (
            <button key={s} type="button" className={filter.state === s ? 'tab active' : 'tab'} onClick={() => setFilter({ ...filter, state: s })} data-testid={`ledger-filter-${s}`}>
              {t(`announcements.ledger.state.${s}`)}
            </button>
          ))}
        <a className="button-quiet export-link" href={announcementsApi.exportUrl(id, filter)} data-testid="ledger-export">
          {t('announcements.ledger.export')}
        </a>
      </nav>
      <div className="table-scroll">
        <table className="table ledger-table" data-testid="ledger-rows">
          <thead>
            <tr>
              <th>{t('announcements.ledger.person')}</th>
              <th>{t('announcements.ledger.department')}</th>
              <th>{t('announcements.ledger.state')}</th>
              <th>{t('announcements.ledger.readAt')}</th>
              <th>{t('announcements.ledger.acknowledgedAt')}</th>
              <th>{t('announcements.channel.email')}</th>
              <th>{t('announcements.channel.sms')}</th>
            </tr>
          </thead>
          <tbody>
            {rows?.items.map((r) => (
              <tr key={r.user.id} data-testid="ledger-row" data-user-id={r.user.id} data-state={r.state}>
                <td>{r.user.displayName}</td>
                <td>{r.department.name}</td>
                <td>
                  <span className={`ledger-state state-${r.state}`}>{t(`announcements.ledger.state.${r.state}`)}</span>
                  {r.reply && <div className="muted ledger-reply">“{r.reply}”</div>}
                </td>
                <td>{r.firstReadAt ? formatDateTime(r.firstReadAt, me.timeZone) : '—'}</td>
                <td>{r.acknowledgedAt ? `${formatDateTime(r.acknowledgedAt, me.timeZone)}${r.acknowledgedVersion !== summary.ackVersion ? ` (v${r.acknowledgedVersion})` : ''}` : '—'}</td>
                <td>
                  <Outcome outcome={r.email} />
                </td>
                <td>
                  <Outcome outcome={r.sms} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows?.items.length === 0 && <p className="muted empty">{t('announcements.ledger.empty')}</p>}
      {rows?.nextCursor && (
        <button type="button" className="button-quiet load-more" onClick={() => void more()}>
          {t('announcements.more')}
        </button>
      )}
    </section>
  );
}
