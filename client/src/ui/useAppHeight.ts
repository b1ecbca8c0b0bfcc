import { useEffect } from 'react';

/**
 * Keeps `--app-height` on the root element equal to the visual viewport's height: the part of the
 * window not covered by the on-screen keyboard. Full-height screens (an open conversation on a
 * phone) use it, so the composer stays above the keyboard on every browser; Chrome on Android
 * also resizes the page itself (the viewport's `interactive-widget=resizes-content`), Safari on
 * iOS does not, and there the visual viewport is the only measure.
 */
export function useAppHeight(): void {
  useEffect(() => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    const root = document.documentElement;
    const update = () => {
      root.style.setProperty('--app-height', `${Math.round(viewport.height)}px`);
      // iOS scrolls the page up under the keyboard instead of shrinking it; undo that so the top bar stays.
      if (viewport.offsetTop > 0 && document.body.scrollHeight <= viewport.height + viewport.offsetTop) window.scrollTo(0, 0);
    };
    update();
    viewport.addEventListener('resize', update);
    viewport.addEventListener('scroll', update);
    return () => {
      viewport.removeEventListener('resize', update);
      viewport.removeEventListener('scroll', update);
      root.style.removeProperty('--app-height');
    };
  }, []);
}
