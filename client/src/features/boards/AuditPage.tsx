import { useEffect, useState } from 'react';
import type { BoardAuditEntryDTO } from '../../../../shared/boards';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { boardsApi } from './boardsApi';

/** For administrators: who looked up the author of which anonymous thread or reply, and when. */
export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [entries, setEntries] = useState<BoardAuditEntryDTO[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const page = (before?: string) =>
    boardsApi.audit(before).then((p) => {
      setEntries((list) => [...list, ...p.items]);
      setNext(p.nextCursor);
    }, setError);
  useEffect(() => void page(), []); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section className="page boards" data-testid="board-audit-page">
      <nav className="breadcrumbs">
        <Link to="/boards">{t('boards.title')}</Link>
      </nav>
      <h1>{t('boards.audit')}</h1>
      <ErrorNotice error={error} testId="board-audit-error" />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('boards.auditWhen')}</th>
              <th>{t('boards.auditWho')}</th>
              <th>{t('boards.auditWhat')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-entry">
                <td>{formatDateTime(e.createdAt, me.timeZone)}</td>
                <td>{e.actor.displayName}</td>
                <td>{t(e.targetType === 'board_reply' ? 'boards.auditReply' : 'boards.auditThread', { id: e.targetId })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next && (
        <button type="button" className="button-quiet load-more" onClick={() => void page(next)}>
          {t('boards.more')}
        </button>
      )}
    </section>
  );
}
