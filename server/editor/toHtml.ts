/**
 * Safe HTML rendering of a validated document, for e-mails and server-side
 * previews, built without a browser.
 *
 * Safety comes from construction, not from sanitizing a string: every tag
 * and attribute written here is a literal in this file, every text and
 * attribute value goes through `escapeHtml`, and link URLs were already
 * limited to http/https/mailto by the validator. Tags used: p, h1–h6,
 * blockquote, ul, ol, li, pre, code, a, span, br, strong, em, u, s, sub, sup,
 * mark. Attributes used: href, target, rel, title (a), class (span, ul, li,
 * code), data-user-id (span), start (ol).
 */
import type {
  RichTextBlockNode,
  RichTextCodeNode,
  RichTextDocument,
  RichTextInlineNode,
  RichTextListNode,
  RichTextTextNode,
} from '../../shared/richText/nodes.js';
import { TEXT_FORMAT } from '../../shared/richText/nodes.js';
import { isWrapper } from './toText.js';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use both between tags and inside double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char]);
}

// Outermost first; lowercase/uppercase/capitalize are CSS-only in Lexical and are not shown.
const formatTags: [number, string][] = [
  [TEXT_FORMAT.bold, 'strong'],
  [TEXT_FORMAT.italic, 'em'],
  [TEXT_FORMAT.underline, 'u'],
  [TEXT_FORMAT.strikethrough, 's'],
  [TEXT_FORMAT.subscript, 'sub'],
  [TEXT_FORMAT.superscript, 'sup'],
  [TEXT_FORMAT.highlight, 'mark'],
  [TEXT_FORMAT.code, 'code'],
];

/** The document as an HTML fragment (no <html> or <body>), safe to embed as is. */
export function richTextToHtml(doc: RichTextDocument): string {
  return doc.root.children.map(blockHtml).join('');
}

function blockHtml(block: RichTextBlockNode): string {
  switch (block.type) {
    case 'paragraph': {
      const inner = inlineHtml(block.children);
      // An empty <p> collapses in mail clients; the <br> keeps the blank line the author typed.
      return `<p>${inner || '<br>'}</p>`;
    }
    case 'heading':
      return `<${block.tag}>${inlineHtml(block.children)}</${block.tag}>`;
    case 'quote':
      return `<blockquote>${inlineHtml(block.children)}</blockquote>`;
    case 'list':
      return listHtml(block);
    case 'code':
      return codeHtml(block);
  }
}

function textHtml(node: RichTextTextNode): string {
  let open = '';
  let close = '';
  for (const [bit, tag] of formatTags) {
    if (node.format & bit) {
      open += `<${tag}>`;
      close = `</${tag}>` + close;
    }
  }
  return open + escapeHtml(node.text) + close;
}

function inlineHtml(nodes: readonly RichTextInlineNode[]): string {
  let html = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        html += textHtml(node);
        break;
      case 'tab':
        html += '\t';
        break;
      case 'linebreak':
        html += '<br>';
        break;
      case 'mention':
        html += `<span class="mention" data-user-id="${escapeHtml(node.userId)}">@${escapeHtml(node.name)}</span>`;
        break;
      case 'link': {
        const title = node.title ? ` title="${escapeHtml(node.title)}"` : '';
        html += `<a href="${escapeHtml(node.url)}"${title} target="_blank" rel="noopener noreferrer nofollow">${inlineHtml(node.children)}</a>`;
        break;
      }
      case 'mark':
        // A passage annotation's anchor is for the report page; e-mails and previews show the text alone.
        html += inlineHtml(node.children);
        break;
    }
  }
  return html;
}

function listHtml(list: RichTextListNode): string {
  const tag = list.listType === 'number' ? 'ol' : 'ul';
  const attributes = list.listType === 'check' ? ' class="checklist"' : list.listType === 'number' && list.start !== 1 ? ` start="${list.start}"` : '';
  // A Lexical nested list is a sibling listitem holding only the list; in HTML it belongs inside the previous item.
  const items: { inline: RichTextInlineNode[]; lists: RichTextListNode[]; checked: boolean }[] = [];
  for (const item of list.children) {
    const lists = item.children.filter((child): child is RichTextListNode => child.type === 'list');
    const previous = items[items.length - 1];
    if (isWrapper(item) && previous) {
      previous.lists.push(...lists);
    } else {
      const inline = item.children.filter((child): child is RichTextInlineNode => child.type !== 'list');
      items.push({ inline, lists, checked: item.checked === true });
    }
  }
  const body = items
    .map(({ inline, lists, checked }) => {
      const check = list.listType === 'check' ? (checked ? '☑ ' : '☐ ') : '';
      const itemClass = list.listType === 'check' ? (checked ? ' class="checked"' : ' class="unchecked"') : '';
      return `<li${itemClass}>${check}${inlineHtml(inline)}${lists.map(listHtml).join('')}</li>`;
    })
    .join('');
  return `<${tag}${attributes}>${body}</${tag}>`;
}

function codeHtml(code: RichTextCodeNode): string {
  const language = code.language ? ` class="language-${escapeHtml(code.language)}"` : '';
  const text = code.children.map((node) => (node.type === 'linebreak' ? '\n' : escapeHtml(node.text))).join('');
  return `<pre><code${language}>${text}</code></pre>`;
}
