/**
 * The picker's list, placed at the caret by Floating UI: below it when there is room, above it
 * when there is not (a composer at the bottom of the window), shifted sideways and shortened so
 * that it never leaves the visible viewport, on a desktop or a phone (the on-screen keyboard
 * included, through the visual viewport).
 */
import { autoUpdate, flip, offset, shift, size, useFloating } from '@floating-ui/react';
import { useLayoutEffect } from 'react';
import { createPortal } from 'react-dom';
import type { MentionChoice } from './mentionChoice';

/** Room kept between the list and the edges of the viewport, in pixels. */
const EDGE = 8;
/** The tallest the list gets when there is room: eight people. */
const MAX_HEIGHT = 272;

type Props = {
  /** Lexical's anchor element of the typeahead, which the list is rendered into. */
  container: HTMLElement;
  /** The editor's content element (its scrolling ancestors move the caret). */
  root: HTMLElement | null;
  label: string;
  /** The query these options answer (for tests and assistive technology). */
  query: string;
  /** True while the answer to the latest query is on its way (the list shows the one before). */
  busy: boolean;
  options: { choice: MentionChoice; key: string; ref: (element: HTMLElement | null) => void }[];
  selectedIndex: number | null;
  onHighlight: (index: number) => void;
  onChoose: (index: number) => void;
};

/** The caret's rectangle, where the list is anchored; the typeahead's anchor element when there is no usable selection. */
function caretRect(fallback: HTMLElement): DOMRect {
  const selection = window.getSelection();
  if (selection && selection.rangeCount > 0) {
    const range = selection.getRangeAt(0);
    const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
    if (rect && (rect.height > 0 || rect.width > 0)) return rect;
  }
  return fallback.getBoundingClientRect();
}

/** The list of people to choose from, positioned and kept on screen. */
export function MentionMenu({ container, root, label, query, busy, options, selectedIndex, onHighlight, onChoose }: Props) {
  const { refs, floatingStyles, placement, update } = useFloating({
    strategy: 'fixed',
    placement: 'bottom-start',
    middleware: [
      offset(4),
      flip({ padding: EDGE, fallbackPlacements: ['top-start'], fallbackStrategy: 'bestFit' }),
      shift({ padding: EDGE, crossAxis: true }),
      size({
        padding: EDGE,
        apply({ availableHeight, availableWidth, elements }) {
          elements.floating.style.maxHeight = `${Math.max(0, Math.min(MAX_HEIGHT, Math.floor(availableHeight)))}px`;
          elements.floating.style.maxWidth = `${Math.max(0, Math.floor(availableWidth))}px`;
        },
      }),
    ],
    whileElementsMounted: (reference, floating, refresh) => autoUpdate(reference, floating, refresh, { animationFrame: false }),
  });

  useLayoutEffect(() => {
    refs.setPositionReference({ getBoundingClientRect: () => caretRect(container), contextElement: root ?? container });
  }, [refs, container, root]);

  // The caret moves as the query grows, and the list changes height with its options.
  useLayoutEffect(() => {
    update();
  }, [update, query, options.length]);

  return createPortal(
    <ul
      ref={refs.setFloating}
      style={floatingStyles}
      className="rt-mention-menu"
      role="listbox"
      aria-label={label}
      aria-busy={busy}
      data-testid="mention-menu"
      data-query={query}
      data-placement={placement}
    >
      {options.map(({ choice, key, ref }, i) => (
        <li
          key={key}
          ref={ref}
          role="option"
          aria-selected={selectedIndex === i}
          data-testid="mention-option"
          data-user-id={choice.userId}
          className={selectedIndex === i ? 'rt-mention-option rt-mention-option-active' : 'rt-mention-option'}
          onMouseEnter={() => onHighlight(i)}
          // Keeps the focus, and so the caret, in the editor on a click or a tap.
          onPointerDown={(event) => event.preventDefault()}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(i)}
        >
          <span className="rt-mention-name">@{choice.name}</span>
          {choice.detail ? <span className="rt-mention-detail">{choice.detail}</span> : null}
        </li>
      ))}
    </ul>,
    container,
  );
}
