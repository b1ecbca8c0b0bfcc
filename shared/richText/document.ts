/** Small helpers over validated rich-text documents, usable on both server and client. */
import { MENTION_EVERYONE, type RichTextDocument, type RichTextInlineNode, type RichTextNode, type RichTextParagraphNode, type RichTextTextNode } from './nodes.js';

const paragraph = (children: RichTextInlineNode[]): RichTextParagraphNode => ({
  type: 'paragraph',
  version: 1,
  direction: null,
  format: '',
  indent: 0,
  textFormat: 0,
  textStyle: '',
  children,
});

const textNode = (text: string): RichTextTextNode => ({ type: 'text', version: 1, text, format: 0, detail: 0, mode: 'normal', style: '' });

/** A document with one empty paragraph, which is what an untouched Lexical editor holds. */
export function emptyDocument(): RichTextDocument {
  return documentFromPlainText('');
}

/** A document with one plain paragraph per line of `text` (for system messages, imports and tests). */
export function documentFromPlainText(text: string): RichTextDocument {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return {
    root: {
      type: 'root',
      version: 1,
      direction: null,
      format: '',
      indent: 0,
      children: lines.map((line) => paragraph(line === '' ? [] : [textNode(line)])),
    },
  };
}

/** Calls `visit` on every node in document order (parents before children). */
export function walkRichText(doc: RichTextDocument, visit: (node: RichTextNode) => void): void {
  // An explicit stack rather than recursion: documents are depth-limited, but this also serves unvalidated callers.
  const stack: RichTextNode[] = [doc.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    if ('children' in node) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
}

/** The distinct ids of the users mentioned in `doc`, in order of first mention (a mention of everyone is not one of them). */
export function extractMentionedUserIds(doc: RichTextDocument): string[] {
  const ids = new Set<string>();
  walkRichText(doc, (node) => {
    if (node.type === 'mention' && node.userId !== MENTION_EVERYONE) ids.add(node.userId);
  });
  return [...ids];
}

/** True when `doc` mentions everyone (@所有人). */
export function mentionsEveryone(doc: RichTextDocument): boolean {
  let found = false;
  walkRichText(doc, (node) => {
    if (node.type === 'mention' && node.userId === MENTION_EVERYONE) found = true;
  });
  return found;
}

/** True when `doc` has no visible content: only whitespace text and no mentions (e.g. to disable a Send button). */
export function isRichTextEmpty(doc: RichTextDocument): boolean {
  let empty = true;
  walkRichText(doc, (node) => {
    if (node.type === 'mention' || ((node.type === 'text' || node.type === 'code-highlight') && node.text.trim() !== '')) empty = false;
  });
  return empty;
}
