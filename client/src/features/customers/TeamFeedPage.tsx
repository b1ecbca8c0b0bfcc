import { useCallback, useEffect, useRef, useState } from 'react';
import { customerStream, type FeedItemDTO } from '../../../../shared/customers';
import { useRealtime } from '../../realtime';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { customersApi } from './customersApi';
import { FeedList } from './FeedList';
import { customerTiers, customerTypes } from './labels';

/** The team feed across every customer the user may see, filterable by tier and type, most valuable first on request. */
export function TeamFeedPage() {
  const { t } = useI18n();
  const [query, setQuery] = useState({ tiers: '', types: '', valuableFirst: 'false' as 'true' | 'false' });
  const [items, setItems] = useState<FeedItemDTO[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped when a followed feed says to look again (a linked board thread, which the stream does not carry).
  const [reload, setReload] = useState(0);
  const base = { tiers: query.tiers || undefined, types: query.types || undefined, valuableFirst: query.valuableFirst };
  const load = useCallback(async () => {
    try {
      const page = await customersApi.teamFeed(base);
      setItems(page.items);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, reload]);
  useEffect(() => void load(), [load]);
  // New items of the customers one follows arrive live at the top (the rest on reload or paging).
  const realtime = useRealtime();
  const filters = useRef(query);
  filters.current = query;
  const wanted = (item: FeedItemDTO) => (!filters.current.tiers || item.tier === filters.current.tiers) && (!filters.current.types || item.customerType === filters.current.types);
  useEffect(() => {
    let stops: (() => void)[] = [];
    let gone = false;
    customersApi.list({ following: 'true', limit: 100 }).then(({ items: following }) => {
      if (gone) return;
      stops = following.map((c) =>
        realtime.follow(customerStream(c.id), (envelope) => {
          if (envelope.type === 'feed.changed') return setReload((n) => n + 1);
          const { item } = envelope.data;
          if (wanted(item)) setItems((current) => (current.some((x) => x.id === item.id) ? current : [item, ...current]));
        }),
      );
    }, setError);
    return () => {
      gone = true;
      stops.forEach((stop) => stop());
    };
  }, [realtime]);
  const more = async () => {
    const page = await customersApi.teamFeed({ ...base, ...(query.valuableFirst === 'true' ? { cursor: next! } : { before: next! }) });
    setItems([...items, ...page.items]);
    setNext(page.nextCursor);
  };
  return (
    <section className="page" data-testid="team-feed-page">
      <h1>{t('customers.teamFeed')}</h1>
      <ErrorNotice error={error} testId="team-feed-error" />
      <div className="toolbar">
        <select value={query.tiers} onChange={(e) => setQuery({ ...query, tiers: e.target.value })} aria-label={t('customers.tierFilter')}>
          <option value="">{t('customers.allTiers')}</option>
          {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
        </select>
        <select value={query.types} onChange={(e) => setQuery({ ...query, types: e.target.value })} aria-label={t('customers.typeFilter')}>
          <option value="">{t('customers.allTypes')}</option>
          {customerTypes.map((x) => <option key={x} value={x}>{t(`customers.type.${x}`)}</option>)}
        </select>
        <label>
          <input type="checkbox" checked={query.valuableFirst === 'true'} onChange={(e) => setQuery({ ...query, valuableFirst: e.target.checked ? 'true' : 'false' })} /> {t('customers.valuableFirst')}
        </label>
      </div>
      <FeedList items={items} showCustomer />
      {next && <button type="button" className="button-quiet" onClick={() => void more().catch(setError)}>{t('customers.more')}</button>}
    </section>
  );
}
