/**
 * The editor's node list and theme. The node list must stay in step with
 * shared/richText/nodes.ts: a node registered here but not accepted there
 * would make the server refuse what the editor produces.
 */
import { CodeHighlightNode, CodeNode } from '@lexical/code';
import { LinkNode } from '@lexical/link';
import { MarkNode } from '@lexical/mark';
import { ListItemNode, ListNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import type { EditorThemeClasses, Klass, LexicalNode } from 'lexical';
import type { RichTextDocument } from '../../../../shared/richText/nodes.js';
import { MentionNode } from './MentionNode';

/** Every node class the product's editors register (paragraph, text, tab and linebreak are built in). */
export const richTextEditorNodes: readonly Klass<LexicalNode>[] = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  CodeNode,
  CodeHighlightNode,
  LinkNode,
  MentionNode,
  // Passages that annotations point at (reports): editors keep them as the author edits around them.
  MarkNode,
];

/** Class names for styling; `rt-` keeps them apart from the rest of the app's CSS. */
export const richTextTheme: EditorThemeClasses = {
  paragraph: 'rt-paragraph',
  quote: 'rt-quote',
  heading: { h1: 'rt-h1', h2: 'rt-h2', h3: 'rt-h3', h4: 'rt-h4', h5: 'rt-h5', h6: 'rt-h6' },
  list: {
    ul: 'rt-ul',
    ol: 'rt-ol',
    listitem: 'rt-li',
    listitemChecked: 'rt-li-checked',
    listitemUnchecked: 'rt-li-unchecked',
    nested: { listitem: 'rt-li-nested' },
  },
  code: 'rt-code',
  link: 'rt-link',
  mention: 'mention',
  mark: 'rt-mark',
  markOverlap: 'rt-mark-overlap',
  text: {
    bold: 'rt-bold',
    italic: 'rt-italic',
    underline: 'rt-underline',
    strikethrough: 'rt-strikethrough',
    code: 'rt-inline-code',
    subscript: 'rt-sub',
    superscript: 'rt-sup',
    highlight: 'rt-highlight',
  },
};

/** Reports editor errors instead of swallowing them; Lexical requires a handler. */
export function onEditorError(error: Error): void {
  console.error('[rich text]', error);
}

/** The Lexical `editorState` option for a stored document (undefined = one empty paragraph). */
export function initialEditorState(doc: RichTextDocument | undefined): string | undefined {
  // A string is parsed by Lexical on mount; passing the object would need the editor instance first.
  return doc ? JSON.stringify(doc) : undefined;
}
