import { useSyncExternalStore } from 'react';

/**
 * The one breakpoint of the layout (docs/client.md): below 768 px wide the app uses its phone
 * layout (bottom tab bar, one pane at a time). CSS uses the same number in its media queries;
 * components read it here only where the structure changes, not only the look.
 */
export const NARROW_QUERY = '(max-width: 767.98px)';

/** True while the window is phone-sized. */
export function useNarrow(): boolean {
  return useSyncExternalStore(
    (listener) => {
      const query = window.matchMedia(NARROW_QUERY);
      query.addEventListener('change', listener);
      return () => query.removeEventListener('change', listener);
    },
    () => window.matchMedia(NARROW_QUERY).matches,
  );
}
