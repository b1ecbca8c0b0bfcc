import type { ReactNode } from 'react';
import type { SearchResultDTO, SearchResultsDTO } from '../../../../shared/search';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';

/** The snippet with its matches marked (the server says where; nothing here re-derives a match). */
export function Snippet({ text, highlights }: Pick<SearchResultDTO, 'highlights'> & { text: string }) {
  const parts: ReactNode[] = [];
  let at = 0;
  highlights.forEach(([start, end], i) => {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={i}>{text.slice(start, end)}</mark>);
    at = end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <span className="search-snippet">{parts}</span>;
}

/** One result: a link that opens it in place, what it is in, who wrote it, the snippet. */
export function SearchResultItem({ item, onOpen }: { item: SearchResultDTO; onOpen?: () => void }) {
  return (
    <li className="search-result" data-testid="search-result" data-kind={item.kind}>
      <Link to={item.link} onClick={onOpen} className="search-result-link">
        <span className="search-result-title">
          {item.title}
          {item.person && item.kind !== 'person' && <span className="search-result-person"> · {item.person.name}</span>}
        </span>
        <Snippet text={item.snippet} highlights={item.highlights} />
      </Link>
    </li>
  );
}

/** Results grouped by kind with each kind's count; `more` renders what follows a group (a button, a link). */
export function SearchGroups({ results, onOpen, more }: { results: SearchResultsDTO; onOpen?: () => void; more?: (group: SearchResultsDTO['groups'][number]) => ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="search-groups">
      {results.groups.map((group) => (
        <section key={group.kind} className="search-group" data-testid={`search-group-${group.kind}`}>
          <h2 className="search-group-title">
            {t(`search.kind.${group.kind}`)} <span className="search-count">{t('search.count', { count: group.count })}</span>
          </h2>
          <ul className="search-list">
            {group.items.map((item) => (
              <SearchResultItem key={`${item.kind}:${item.id}`} item={item} onOpen={onOpen} />
            ))}
          </ul>
          {more?.(group)}
        </section>
      ))}
    </div>
  );
}
