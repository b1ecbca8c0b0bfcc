/** Small editor plugins that keep the editor's output inside what the server accepts. */
import { LinkNode } from '@lexical/link';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import { COMMAND_PRIORITY_HIGH, COMMAND_PRIORITY_NORMAL, DRAGOVER_COMMAND, DROP_COMMAND, KEY_ENTER_COMMAND, PASTE_COMMAND, ParagraphNode, TextNode } from 'lexical';
import { useEffect, useRef, type MutableRefObject } from 'react';
import { isAllowedLinkUrl, type RichTextDocument } from '../../../../shared/richText/nodes';
import type { MentionMenuState } from './MentionPlugin';

/**
 * Fixes what pasted HTML brings in and the server would refuse, so a paste
 * never makes a message unsendable: inline CSS (`color: red`) is cleared, and
 * a link to anything but http/https/mailto (`javascript:`) becomes plain text.
 */
export function OutputGuardPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      mergeRegister(
        editor.registerNodeTransform(TextNode, (node) => {
          if (node.getStyle() !== '') node.setStyle('');
        }),
        editor.registerNodeTransform(ParagraphNode, (node) => {
          if (node.getTextStyle() !== '') node.setTextStyle('');
        }),
        editor.registerNodeTransform(LinkNode, (node) => {
          if (isAllowedLinkUrl(node.getURL())) return;
          for (const child of node.getChildren()) node.insertBefore(child);
          node.remove();
        }),
      ),
    [editor],
  );
  return null;
}

/** Replaces the editor's content whenever `doc` changes (LexicalComposer reads its initial state only once). */
export function DocumentSyncPlugin({ doc }: { doc: RichTextDocument }): null {
  const [editor] = useLexicalComposerContext();
  // The first document is already the composer's initial state. A reload that brings the same
  // text (a live event about reads or files) must not redraw it: that would drop the reader's
  // selection, e.g. a passage they are about to annotate.
  const shown = useRef(JSON.stringify(doc));
  useEffect(() => {
    const text = JSON.stringify(doc);
    if (shown.current === text) return;
    shown.current = text;
    editor.setEditorState(editor.parseEditorState(text));
  }, [editor, doc]);
  return null;
}

/**
 * Enter submits (a chat message), Shift+Enter starts a new line. Enter that belongs to something
 * else never submits: while an input method is composing (choosing among pinyin candidates,
 * Enter confirms the letters), and while the @ picker is open (Enter picks the person) or still
 * waiting for its list.
 */
export function SubmitPlugin({ onSubmit, mentionMenu }: { onSubmit: () => void; mentionMenu: MutableRefObject<MentionMenuState> }): null {
  const [editor] = useLexicalComposerContext();
  // The latest callback, without registering the command again on every render.
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  useEffect(
    () =>
      editor.registerCommand(
        KEY_ENTER_COMMAND,
        (event) => {
          if (!event || event.shiftKey) return false;
          // Safari ends the composition just before the Enter that confirmed it, which still says keyCode 229.
          if (isCompositionKey(event) || editor.isComposing()) return true;
          // The picker's own Enter handler (lower priority) takes it.
          if (mentionMenu.current === 'open') return false;
          event.preventDefault();
          if (mentionMenu.current === 'closed') submit.current();
          return true;
        },
        // Before the picker and rich text's own Enter (new paragraph), which both have lower priorities.
        COMMAND_PRIORITY_NORMAL,
      ),
    [editor, mentionMenu],
  );
  return null;
}

/**
 * An Enter pressed while an input method composes belongs to the input method (it confirms the
 * letters typed): Lexical sends no key command for it, and its default action, which would end
 * the composition with a new paragraph, is held back, in every editor.
 */
export function CompositionEnterPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerRootListener((root, previous) => {
        previous?.removeEventListener('keydown', holdComposingEnter, true);
        root?.addEventListener('keydown', holdComposingEnter, true);
      }),
    [editor],
  );
  return null;
}

const isCompositionKey = (event: KeyboardEvent) => event.isComposing || event.keyCode === 229;

function holdComposingEnter(event: KeyboardEvent): void {
  if (event.key === 'Enter' && isCompositionKey(event)) event.preventDefault();
}

/**
 * Files pasted or dropped into the editor (a screenshot, a photo from the desktop) go to `onFiles`
 * instead of the document: the editor's owner uploads them. Text pastes are left to the editor.
 */
export function FileDropPlugin({ onFiles }: { onFiles: (files: File[]) => void }): null {
  const [editor] = useLexicalComposerContext();
  const latest = useRef(onFiles);
  latest.current = onFiles;
  useEffect(() => {
    const take = (transfer: DataTransfer | null | undefined, event: Event) => {
      const files = [...(transfer?.files ?? [])];
      if (files.length === 0) return false;
      event.preventDefault();
      latest.current(files);
      return true;
    };
    return mergeRegister(
      editor.registerCommand(PASTE_COMMAND, (event) => take((event as ClipboardEvent).clipboardData, event), COMMAND_PRIORITY_HIGH),
      editor.registerCommand(DROP_COMMAND, (event) => take(event.dataTransfer, event), COMMAND_PRIORITY_HIGH),
      editor.registerCommand(DRAGOVER_COMMAND, (event) => (event.dataTransfer?.types.includes('Files') ? (event.preventDefault(), true) : false), COMMAND_PRIORITY_HIGH),
    );
  }, [editor]);
  return null;
}
