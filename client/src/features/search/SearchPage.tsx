import { useEffect, useState } from 'react';
import { searchKinds, type SearchKind, type SearchResultsDTO } from '../../../../shared/search';
import { navigate, useLocation } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { searchApi } from './searchApi';
import { SearchGroups } from './SearchResults';
import { useSearch } from './useSearch';

/** A day in the browser's zone as the instant it starts (from) or ends (to). */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayEnd = (day: string) => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);

/**
 * `/search?q=…&kind=…`: the whole search, with filters by kind and date; every kind's first results,
 * or one kind's results page after page. The query and the kind live in the address, so a search
 * can be linked and the back button returns to it.
 */
export function SearchPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const kindParam = search.get('kind');
  const kind = searchKinds.includes(kindParam as SearchKind) ? (kindParam as SearchKind) : undefined;
  const [typed, setTyped] = useState(q);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { results, error, loading } = useSearch(typed.trim() ? { q: typed.trim(), kind, from: dayStart(from), to: dayEnd(to), limit: kind ? 20 : 5 } : null);
  const [more, setMore] = useState<{ key: string; items: SearchResultsDTO['groups'][number]['items']; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const resultsKey = JSON.stringify([typed.trim(), kind, from, to]);

  useEffect(() => setTyped(q), [q]);
  useEffect(() => setMore(null), [resultsKey]);
  const setAddress = (next: { q?: string; kind?: SearchKind | null }) => {
    const params = new URLSearchParams();
    const nextQ = next.q ?? typed.trim();
    if (nextQ) params.set('q', nextQ);
    const nextKind = next.kind === undefined ? kind : next.kind;
    if (nextKind) params.set('kind', nextKind);
    navigate(`/search${params.size ? `?${params}` : ''}`, { replace: true });
  };

  // One kind's further pages are appended to what the first answer showed.
  const shown: SearchResultsDTO | null = results && {
    ...results,
    groups: results.groups.map((g) => (more && more.key === resultsKey && g.kind === kind ? { ...g, items: [...g.items, ...more.items], nextCursor: more.cursor } : g)),
  };
  const loadMore = async (cursor: string) => {
    try {
      const page = await searchApi.search({ q: typed.trim(), kind, from: dayStart(from), to: dayEnd(to), limit: 20, cursor });
      const group = page.groups[0];
      setMore((m) => ({ key: resultsKey, items: [...(m && m.key === resultsKey ? m.items : []), ...(group?.items ?? [])], cursor: group?.nextCursor ?? null }));
      setMoreError(null);
    } catch (e) {
      setMoreError(e);
    }
  };

  return (
    <section className="page" data-testid="search-page">
      <h1>{t('search.title')}</h1>
      <form className="toolbar" role="search" onSubmit={(event) => (event.preventDefault(), setAddress({}))}>
        <input
          type="search"
          autoFocus
          data-testid="search-page-input"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          value={typed}
          maxLength={100}
          onChange={(event) => setTyped(event.target.value)}
        />
        <select aria-label={t('search.kindFilter')} data-testid="search-kind" value={kind ?? ''} onChange={(event) => setAddress({ kind: (event.target.value || null) as SearchKind | null })}>
          <option value="">{t('search.all')}</option>
          {searchKinds.map((k) => (
            <option key={k} value={k}>
              {t(`search.kind.${k}`)}
            </option>
          ))}
        </select>
        <label className="cluster">
          {t('search.from')}
          <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} data-testid="search-from" />
        </label>
        <label className="cluster">
          {t('search.to')}
          <input type="date" value={to} onChange={(event) => setTo(event.target.value)} data-testid="search-to" />
        </label>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {loading && !results && <p className="muted">{t('search.searching')}</p>}
      {shown && shown.total === 0 && <p className="muted" data-testid="search-none">{t('search.none', { q: typed.trim() })}</p>}
      {shown && shown.total > 0 && (
        <>
          <p className="muted" data-testid="search-total">{t('search.total', { count: shown.total })}</p>
          <SearchGroups
            results={shown}
            more={(group) =>
              group.nextCursor ? (
                <button
                  type="button"
                  className="button-quiet"
                  data-testid={`search-more-${group.kind}`}
                  onClick={() => (kind ? void loadMore(group.nextCursor!) : setAddress({ kind: group.kind }))}
                >
                  {t('search.more')}
                </button>
              ) : null
            }
          />
        </>
      )}
      {moreError ? <ErrorNotice error={moreError} /> : null}
    </section>
  );
}
