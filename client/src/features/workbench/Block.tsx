import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import type { StreamName } from '../../../../shared/realtime';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';

/**
 * One block of the workbench or the dashboard: a card with its title, a link to the page where the
 * work is done, and either its content or, when there is nothing, what to do first.
 */
export function Block({ id, title, to, linkLabel, empty, emptyText, emptyAction, children }: {
  id: string;
  title: string;
  to: string;
  linkLabel?: string;
  empty: boolean;
  emptyText: string;
  emptyAction?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="card stack workbench-block" data-testid={`block-${id}`} aria-labelledby={`block-${id}-title`}>
      <div className="workbench-block-head">
        <h2 id={`block-${id}-title`}>{title}</h2>
        <Link to={to} data-testid={`block-${id}-link`}>{linkLabel ?? t('workbench.open')}</Link>
      </div>
      {empty ? (
        <div className="stack" data-testid={`block-${id}-empty`}>
          <p className="muted">{emptyText}</p>
          {emptyAction}
        </div>
      ) : (
        children
      )}
    </section>
  );
}

/** Follows one stream while mounted and calls `onEvent` for each of its events (a block then asks again). */
export function StreamFollower({ stream, onEvent }: { stream: StreamName; onEvent: () => void }) {
  useStream(stream, onEvent);
  return null;
}

/**
 * `load` at most once per `ms` however many events arrive together (a report submitted brings a
 * notification and a report event at once); the last call always runs.
 */
export function useCoalesced(load: () => unknown, ms = 300): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void latest.current();
    }, ms);
  }, [ms]);
}
