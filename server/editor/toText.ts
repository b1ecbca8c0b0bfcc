/**
 * Plain-text rendering of a validated document, for search, previews,
 * notifications, SMS and the text part of e-mails.
 *
 * Blocks are separated by one newline; list items are prefixed (`- `, `1. `,
 * `[x] ` / `[ ] `) and indented two spaces per nesting level; quote lines
 * start with `> `; mentions read `@name`; a link reads `text (url)` unless
 * its text already is the address. Text formats are not shown.
 */
import type { RichTextBlockNode, RichTextDocument, RichTextInlineNode, RichTextListItemNode, RichTextListNode } from '../../shared/richText/nodes.js';

/** The document as plain text (no trailing newline). */
export function richTextToPlainText(doc: RichTextDocument): string {
  return doc.root.children.map(blockText).join('\n');
}

function blockText(block: RichTextBlockNode): string {
  switch (block.type) {
    case 'list':
      return listLines(block, 0).join('\n');
    case 'quote':
      return inlineText(block.children)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'code':
      return block.children.map((node) => (node.type === 'linebreak' ? '\n' : node.text)).join('');
    default:
      return inlineText(block.children);
  }
}

function inlineText(nodes: readonly RichTextInlineNode[]): string {
  let text = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'linebreak':
        text += '\n';
        break;
      case 'mention':
        text += `@${node.name}`;
        break;
      case 'mark':
        text += inlineText(node.children);
        break;
      case 'link': {
        const label = inlineText(node.children);
        const address = node.url.replace(/^mailto:/i, '');
        // Plain text has no hidden targets, so the address is shown unless the label already says it.
        if (label === '') text += node.url;
        else if (label === node.url || label === address) text += label;
        else text += `${label} (${node.url})`;
        break;
      }
      default:
        text += node.text;
    }
  }
  return text;
}

function listLines(list: RichTextListNode, level: number): string[] {
  const lines: string[] = [];
  const indent = '  '.repeat(level);
  let number = list.start;
  for (const item of list.children) {
    const own = item.children.filter((child): child is RichTextInlineNode => child.type !== 'list');
    // Lexical nests a list as a listitem holding only that list; such a wrapper gets no marker of its own.
    if (!isWrapper(item)) {
      const prefix = list.listType === 'number' ? `${number++}. ` : list.listType === 'check' ? (item.checked ? '[x] ' : '[ ] ') : '- ';
      const [first, ...rest] = inlineText(own).split('\n');
      lines.push(indent + prefix + first, ...rest.map((line) => indent + ' '.repeat(prefix.length) + line));
    }
    for (const child of item.children) {
      if (child.type === 'list') lines.push(...listLines(child, level + 1));
    }
  }
  return lines;
}

/** True when a listitem holds nothing but nested lists. */
export function isWrapper(item: RichTextListItemNode): boolean {
  return item.children.length > 0 && item.children.every((child) => child.type === 'list');
}
