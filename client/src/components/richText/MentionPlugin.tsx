/**
 * The @ picker. Typing `@` or `＠` after anything but an ASCII letter or digit (mentionTrigger.ts)
 * asks the server for matching people — by name, pinyin or pinyin initials, best first, with their
 * department (`GET /api/users/mention-candidates`) — and lists them at the caret (MentionMenu);
 * arrow keys, Enter, Tab, a click or a tap choose, Escape closes. Choosing inserts a MentionNode.
 */
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, MenuOption } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, type TextNode } from 'lexical';
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { MentionCandidateDTO } from '../../../../shared/dto';
import { MAX_MENTION_NAME_LENGTH, MENTION_EVERYONE, MENTION_EVERYONE_NAME } from '../../../../shared/richText/nodes';
import { api } from '../../api/http';
import type { RichTextLabels } from './labels';
import { MentionMenu } from './MentionMenu';
import { $createMentionNode } from './MentionNode';
import { mentionTriggerMatch } from './mentionTrigger';
import type { MentionChoice } from './mentionChoice';

/**
 * Whom the picker offers: by default anyone in the directory; in a conversation only its members
 * (`conversationId`), and, where the writer may (a group's owners and admins), everyone at once.
 */
export type MentionSource = { conversationId?: string; everyone?: boolean };

/** Whether the picker is on screen with something to choose (`open`), or still asking the server (`pending`). */
export type MentionMenuState = 'closed' | 'pending' | 'open';


const MAX_SHOWN = 8;
// Typed by those who mean everyone: the name in either language, its pinyin and initials.
const EVERYONE_WORDS = ['所有人', 'all', 'everyone', 'suoyouren', 'syr'];

class MentionOption extends MenuOption {
  constructor(readonly choice: MentionChoice) {
    super(choice.userId);
  }
}

type Found = { key: string; choices: MentionChoice[] };

type Props = {
  source: MentionSource;
  labels: RichTextLabels;
  /** Kept up to date for the editor's Enter key: Enter picks while the menu is open. */
  stateRef: MutableRefObject<MentionMenuState>;
};

/** Registers the typeahead and renders its list next to the caret. */
export function MentionPlugin({ source, labels, stateRef }: Props) {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  // The last answer, shown while the next one is on its way so the list does not flicker.
  const [found, setFound] = useState<Found | null>(null);
  const answers = useRef(new Map<string, MentionChoice[]>());
  const { conversationId, everyone } = source;
  const keyOf = (q: string) => q.trim().toLowerCase();

  useEffect(() => {
    answers.current.clear();
    setFound(null);
  }, [conversationId]);

  useEffect(() => {
    if (query === null) return;
    const key = keyOf(query);
    const cached = answers.current.get(key);
    if (cached) {
      setFound({ key, choices: cached });
      return;
    }
    let current = true;
    api.get<MentionCandidateDTO[]>('/api/users/mention-candidates', { q: key, conversationId, limit: MAX_SHOWN }).then(
      (people) => {
        const choices = people.map((p) => ({ userId: p.id, name: p.displayName, detail: p.departmentName }));
        answers.current.set(key, choices);
        if (current) setFound({ key, choices });
      },
      () => current && setFound({ key, choices: [] }),
    );
    return () => {
      current = false;
    };
  }, [query, conversationId]);

  const options = useMemo(() => {
    if (query === null || !found) return [];
    const key = keyOf(query);
    const people = found.choices.slice(0, MAX_SHOWN);
    const all = everyone && (key === '' || EVERYONE_WORDS.some((word) => word.startsWith(key)));
    const choices = all ? [{ userId: MENTION_EVERYONE, name: labels.everyone, detail: labels.everyoneDetail }, ...people] : people;
    return choices.map((choice) => new MentionOption(choice));
  }, [query, found, everyone, labels.everyone, labels.everyoneDetail]);
  const answered = query !== null && found?.key === keyOf(query);

  useEffect(() => {
    stateRef.current = !shown || query === null ? 'closed' : options.length > 0 ? 'open' : answered ? 'closed' : 'pending';
  }, [stateRef, shown, query, options.length, answered]);

  const onSelectOption = useCallback(
    (option: MentionOption, nodeToReplace: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        const { userId, name } = option.choice;
        // A mention of everyone is stored under its one name; each reader sees it in their language.
        const mention = $createMentionNode(userId, userId === MENTION_EVERYONE ? MENTION_EVERYONE_NAME : name.slice(0, MAX_MENTION_NAME_LENGTH));
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

  const triggerFn = useCallback((text: string) => mentionTriggerMatch(text), []);

  return (
    <LexicalTypeaheadMenuPlugin<MentionOption>
      options={options}
      onQueryChange={setQuery}
      onSelectOption={onSelectOption}
      onOpen={() => setShown(true)}
      onClose={() => setShown(false)}
      triggerFn={triggerFn}
      menuRenderFn={(anchorRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
        anchorRef.current && options.length > 0 ? (
          <MentionMenu
            container={anchorRef.current}
            root={editor.getRootElement()}
            label={labels.mentionList}
            query={found?.key ?? ''}
            busy={!answered}
            options={options.map((option) => ({ choice: option.choice, key: option.key, ref: option.setRefElement.bind(option) }))}
            selectedIndex={selectedIndex}
            onHighlight={setHighlightedIndex}
            onChoose={(i) => selectOptionAndCleanUp(options[i])}
          />
        ) : null
      }
    />
  );
}
