import type { FeedItemDTO } from '../../../../shared/customers';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { classLabel } from './labels';

/** Feed items, newest first, each saying who did what (and with which customer in the team feed). */
export function FeedList({ items, showCustomer }: { items: FeedItemDTO[]; showCustomer: boolean }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ul className="feed" data-testid="feed">
      {items.map((item) => {
        const named = item.data.title ?? item.data.entryTitle;
        const title = typeof named === 'string' ? named : '';
        return (
          <li key={item.id} data-testid="feed-item" data-kind={item.kind}>
            <span className="muted">{formatDateTime(item.createdAt)}</span> <strong>{item.actor.displayName}</strong> {t(`customers.feedKind.${item.kind}`)}
            {showCustomer && <> · <Link to={`/customers/${item.customerId}`}>{item.customerName}</Link> ({classLabel(t, item)})</>}
            {title && (item.kind === 'thread' && typeof item.data.threadId === 'string' ? <> · <Link to={`/boards/threads/${item.data.threadId}`}>{title}</Link></> : <> · {title}</>)}
            {item.kind === 'report' && typeof item.data.reportId === 'string' && (
              <> · <Link to={`/reports/${item.data.reportId}`} data-testid="feed-report-link">{String(item.data.periodStart ?? '')}</Link></>
            )}
            {item.text && <div>{item.text}</div>}
          </li>
        );
      })}
    </ul>
  );
}
