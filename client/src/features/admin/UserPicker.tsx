import { useEffect, useState } from 'react';
import type { UserSummaryDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { adminApi } from './adminApi';

/** Picks several users by searching the directory on the server (organisations can be large). */
export function UserPicker({ value, onChange, testId }: { value: UserSummaryDTO[]; onChange: (users: UserSummaryDTO[]) => void; testId: string }) {
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
      adminApi.users(q, 10).then(
        (users) => !cancelled && setFound({ q, users: users.filter((u) => u.active) }),
        () => !cancelled && setFound({ q, users: [] }),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  const chosen = new Set(value.map((u) => u.id));
  const answered = found.q === query.trim();
  const results = answered ? found.users : [];
  return (
    <div className="user-picker" data-testid={testId}>
      <ul className="chips">
        {value.map((u) => (
          <li key={u.id} className="chip" data-testid={`${testId}-chosen`}>
            {u.displayName}
            <button type="button" aria-label={t('userPicker.remove', { name: u.displayName })} onClick={() => onChange(value.filter((v) => v.id !== u.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input type="search" placeholder={t('userPicker.search')} aria-label={t('userPicker.search')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid={`${testId}-search`} />
      {query.trim() && (
        <ul className="picker-results">
          {answered && results.length === 0 && <li className="muted">{t('userPicker.noResults')}</li>}
          {results
            .filter((u) => !chosen.has(u.id))
            .map((u) => (
              <li key={u.id}>
                <button type="button" className="link-button" data-testid={`${testId}-option`} onClick={() => (onChange([...value, { id: u.id, displayName: u.displayName, email: u.email }]), setQuery(''))}>
                  {u.displayName} <span className="muted">{u.email}</span>
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
