import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useNarrow } from '../../ui/useNarrow';
import { SearchGroups } from './SearchResults';
import { isTyping, useSearch } from './useSearch';

/**
 * The global search box of the top bar: Ctrl+K (⌘K) or `/` focuses it from anywhere, results of
 * every kind appear under it as one types, Enter opens the search page with filters. On a phone the
 * shortcut and the top bar's search button open the search page itself.
 */
export function SearchBox() {
  const { t } = useI18n();
  const narrow = useNarrow();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const { results, error, loading } = useSearch(open && q.trim() ? { q: q.trim(), limit: 3 } : null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = (event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey);
      if (!shortcut && !(event.key === '/' && !isTyping(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey)) return;
      event.preventDefault();
      if (narrow) navigate('/search');
      else {
        input.current?.focus();
        input.current?.select();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [narrow]);

  const close = () => {
    setOpen(false);
    setQ('');
    input.current?.blur();
  };
  if (narrow) return null;
  return (
    <div className="search-box" onBlur={(event) => !event.currentTarget.contains(event.relatedTarget as Node | null) && setOpen(false)}>
      <input
        ref={input}
        type="search"
        className="search-input"
        data-testid="search-box"
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        title={t('search.shortcut')}
        value={q}
        maxLength={100}
        onFocus={() => setOpen(true)}
        onChange={(event) => {
          setQ(event.target.value);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close();
          if (event.key === 'Enter' && !event.nativeEvent.isComposing && q.trim()) {
            navigate(`/search?q=${encodeURIComponent(q.trim())}`);
            close();
          }
        }}
      />
      {open && q.trim() && (
        <div className="search-panel card" data-testid="search-panel" role="region" aria-label={t('search.title')} aria-live="polite">
          {error ? <ErrorNotice error={error} /> : null}
          {loading && !results && <p className="muted">{t('search.searching')}</p>}
          {results && results.total === 0 && <p className="muted">{t('search.none', { q: q.trim() })}</p>}
          {results && results.total > 0 && <SearchGroups results={results} onOpen={close} />}
          {results && results.total > 0 && (
            <button type="button" className="button-quiet" data-testid="search-see-all" onClick={() => (navigate(`/search?q=${encodeURIComponent(q.trim())}`), close())}>
              {t('search.seeAll')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
