import { useEffect, useRef, useState } from 'react';
import type { SearchResultsDTO } from '../../../../shared/search';
import { searchApi, type SearchParams } from './searchApi';

/** Results for the params as they are typed: asked after a short pause, an older answer never replacing a newer one. */
export function useSearch(params: SearchParams | null, delayMs = 200) {
  const [state, setState] = useState<{ results: SearchResultsDTO | null; error: unknown; loading: boolean }>({ results: null, error: null, loading: false });
  const asked = useRef(0);
  const key = params && params.q.trim() ? JSON.stringify(params) : '';
  useEffect(() => {
    const n = ++asked.current;
    if (!key) {
      setState({ results: null, error: null, loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      searchApi.search(JSON.parse(key) as SearchParams).then(
        (results) => n === asked.current && setState({ results, error: null, loading: false }),
        (error: unknown) => n === asked.current && setState({ results: null, error, loading: false }),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs]);
  return state;
}

/** True when a key press happens where typing goes (an input, a text area, the rich-text editor). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}
