/** The @ picker: typing `@` and a few letters lists matching candidates; choosing one inserts a MentionNode. */
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, MenuOption, useBasicTypeaheadTriggerMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, type TextNode } from 'lexical';
import { useCallback, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { MAX_MENTION_NAME_LENGTH } from '../../../../shared/richText/nodes';
import { $createMentionNode } from './MentionNode';

/** Someone who can be mentioned; `detail` (e.g. department) only helps tell namesakes apart. */
export type MentionCandidate = { userId: string; name: string; detail?: string };

const MAX_SHOWN = 8;

class MentionOption extends MenuOption {
  constructor(readonly candidate: MentionCandidate) {
    super(candidate.userId);
  }
}

/** Candidates whose name contains the query (case-insensitive), best (prefix) matches first. */
export function matchMentionCandidates(candidates: readonly MentionCandidate[], query: string): MentionCandidate[] {
  const q = query.trim().toLocaleLowerCase();
  const scored = candidates
    .map((candidate) => ({ candidate, at: candidate.name.toLocaleLowerCase().indexOf(q) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at);
  return scored.slice(0, MAX_SHOWN).map(({ candidate }) => candidate);
}

type Props = {
  candidates: readonly MentionCandidate[];
  /** Called with the text typed after `@` (null when the picker closes), for callers that search the server. */
  onQuery?: (query: string | null) => void;
  label: string;
};

/** Registers the typeahead and renders its list next to the caret. */
export function MentionPlugin({ candidates, onQuery, label }: Props) {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  // minLength 0: a bare "@" already lists people, as chat apps do.
  const triggerFn = useBasicTypeaheadTriggerMatch('@', { minLength: 0, maxLength: 30 });

  const options = useMemo(
    () => (query === null ? [] : matchMentionCandidates(candidates, query).map((candidate) => new MentionOption(candidate))),
    [candidates, query],
  );

  const onQueryChange = useCallback(
    (next: string | null) => {
      setQuery(next);
      onQuery?.(next);
    },
    [onQuery],
  );

  const onSelectOption = useCallback(
    (option: MentionOption, nodeToReplace: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        const { userId, name } = option.candidate;
        const mention = $createMentionNode(userId, name.slice(0, MAX_MENTION_NAME_LENGTH));
        if (nodeToReplace) nodeToReplace.replace(mention);
        // A space after the mention so typing continues as normal text.
        const space = $createTextNode(' ');
        mention.insertAfter(space);
        space.select(1, 1);
      });
      closeMenu();
    },
    [editor],
  );

  return (
    <LexicalTypeaheadMenuPlugin<MentionOption>
      options={options}
      onQueryChange={onQueryChange}
      onSelectOption={onSelectOption}
      triggerFn={triggerFn}
      menuRenderFn={(anchorRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
        anchorRef.current && options.length > 0
          ? createPortal(
              <ul className="rt-mention-menu" role="listbox" aria-label={label}>
                {options.map((option, i) => (
                  <li
                    key={option.key}
                    ref={option.setRefElement}
                    role="option"
                    aria-selected={selectedIndex === i}
                    className={selectedIndex === i ? 'rt-mention-option rt-mention-option-active' : 'rt-mention-option'}
                    onMouseEnter={() => setHighlightedIndex(i)}
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => selectOptionAndCleanUp(option)}
                  >
                    <span className="rt-mention-name">@{option.candidate.name}</span>
                    {option.candidate.detail ? <span className="rt-mention-detail"> {option.candidate.detail}</span> : null}
                  </li>
                ))}
              </ul>,
              anchorRef.current,
            )
          : null
      }
    />
  );
}
