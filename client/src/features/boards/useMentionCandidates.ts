import { useCallback, useEffect, useState } from 'react';
import type { Page, UserSummaryDTO } from '../../../../shared/dto';
import { api } from '../../api/http';
import type { MentionCandidate } from '../../components/RichTextEditor';

/** People to @mention, searched in the staff directory as one types after @ (the server notifies only those who may see the thread). */
export function useMentionCandidates(): { candidates: MentionCandidate[]; onMentionQuery: (query: string | null) => void } {
  const [query, setQuery] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<MentionCandidate[]>([]);
  useEffect(() => {
    if (!query) return setCandidates([]);
    let cancelled = false;
    const timer = setTimeout(() => {
      api.get<Page<UserSummaryDTO>>('/api/users', { q: query, limit: 8 }).then(
        (page) => !cancelled && setCandidates(page.items.map((u) => ({ userId: u.id, name: u.displayName, detail: u.email }))),
        () => !cancelled && setCandidates([]),
      );
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);
  return { candidates, onMentionQuery: useCallback((q: string | null) => setQuery(q), []) };
}
