import { useCallback, useEffect, useRef } from 'react';
import { boardsApi } from './boardsApi';

/**
 * Reports how far the user has read a thread: the highest reply number that has been on screen
 * while the page was visible, a moment after it was seen (and the opening post as 0 on opening).
 * The server keeps the furthest position, the same on all the user's devices.
 */
export function useReadPosition(threadId: string, readNumber: number | null) {
  const reported = useRef(readNumber ?? -1);
  const seen = useRef(readNumber ?? -1);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const observer = useRef<IntersectionObserver | null>(null);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (seen.current <= reported.current || document.visibilityState !== 'visible') return;
      const number = seen.current;
      reported.current = number;
      boardsApi.read(threadId, number).catch(() => (reported.current = -1));
    }, 400);
  }, [threadId]);

  const saw = useCallback(
    (number: number) => {
      if (number <= seen.current) return;
      seen.current = number;
      flush();
    },
    [flush],
  );

  useEffect(() => {
    reported.current = Math.max(reported.current, readNumber ?? -1);
    saw(0);
  }, [readNumber, saw]);

  useEffect(() => {
    observer.current = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) saw(Number((entry.target as HTMLElement).dataset.number));
    });
    const onVisible = () => document.visibilityState === 'visible' && flush();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      observer.current?.disconnect();
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(timer.current);
    };
  }, [saw, flush]);

  /** Watches the reply elements inside a list (call after they render). */
  return useCallback((list: HTMLElement | null) => {
    if (!list || !observer.current) return;
    list.querySelectorAll<HTMLElement>('[data-number]').forEach((element) => observer.current!.observe(element));
  }, []);
}
