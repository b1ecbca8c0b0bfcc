/** Small editor plugins that keep the editor's output inside what the server accepts. */
import { LinkNode } from '@lexical/link';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import { ParagraphNode, TextNode } from 'lexical';
import { useEffect, useRef } from 'react';
import { isAllowedLinkUrl, type RichTextDocument } from '../../../../shared/richText/nodes';

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
  // The first document is already the composer's initial state.
  const shown = useRef(doc);
  useEffect(() => {
    if (shown.current === doc) return;
    shown.current = doc;
    editor.setEditorState(editor.parseEditorState(JSON.stringify(doc)));
  }, [editor, doc]);
  return null;
}
