import { useEffect, useState } from 'react';
import type { Page, UserSummaryDTO } from '../../../shared/dto';
import { useI18n } from '../i18n';
import { api } from '../api/http';

/** Searches the staff directory as one types and offers the matches (minus `exclude`) to pick; `testId` prefixes its parts' test ids. */
export function UserSearch({ onPick, exclude, testId }: { onPick: (user: UserSummaryDTO) => void; exclude: ReadonlySet<string>; testId: string }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  // The query the results belong to, so "no results" only shows once the server answered.
  const [found, setFound] = useState<{ q: string; users: UserSummaryDTO[] }>({ q: '', users: [] });

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let cancelled = false;
    // Waits for a pause in typing instead of asking the server on every key.
    const timer = setTimeout(() => {
      // The directory lists active staff only.
      api.get<Page<UserSummaryDTO>>('/api/users', { q, limit: 10 }).then(
        (page) => !cancelled && setFound({ q, users: page.items }),
        () => !cancelled && setFound({ q, users: [] }),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  const answered = found.q === query.trim();
  const results = answered ? found.users.filter((u) => !exclude.has(u.id)) : [];
  return (
    <div className="user-search">
      <input type="search" placeholder={t('userPicker.search')} aria-label={t('userPicker.search')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid={`${testId}-search`} />
      {query.trim() && (
        <ul className="picker-results">
          {answered && results.length === 0 && <li className="muted">{t('userPicker.noResults')}</li>}
          {results.map((u) => (
            <li key={u.id}>
              <button type="button" className="link-button" data-testid={`${testId}-option`} data-user-id={u.id} onClick={() => (onPick({ id: u.id, displayName: u.displayName, email: u.email }), setQuery(''))}>
                {u.displayName} <span className="muted">{u.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
