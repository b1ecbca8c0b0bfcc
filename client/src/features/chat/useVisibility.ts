import { useSyncExternalStore } from 'react';

/** True while the page is visible: a conversation in a background tab is not "read". */
export function useVisibility(): boolean {
  return useSyncExternalStore(
    (notify) => {
      document.addEventListener('visibilitychange', notify);
      return () => document.removeEventListener('visibilitychange', notify);
    },
    () => document.visibilityState === 'visible',
  );
}
