/**
 * The one seam between reminders / e-mail and the platform's rich-text module. It has the same
 * three functions as server/editor (parseRichText, richTextToPlainText, richTextToHtml); until
 * that module is merged a small Lexical walker stands in, and the merge replaces this file's
 * body with `export { parseRichText, richTextToPlainText, richTextToHtml, type RichTextDocument } from '../editor/index.js';`.
 */
import { AppError, payloadTooLarge } from '../errors.js';

type LexicalNode = { type?: string; text?: string; tag?: string; listType?: string; url?: string; format?: number; children?: LexicalNode[] };
export type RichTextDocument = { root: LexicalNode };

const MAX_BYTES = 64 * 1024;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Checks a Lexical editor state and returns it; throws AppError 400 (bad shape) or 413 (too large), as server/editor does. */
export function parseRichText(input: unknown): RichTextDocument {
  const root = (input as { root?: LexicalNode } | null)?.root;
  if (typeof input !== 'object' || input === null || !root || root.type !== 'root' || !Array.isArray(root.children)) {
    throw new AppError(400, 'bad_request', 'rich text must be a Lexical editor state: an object { root: { type: "root", children: [...] } }');
  }
  const bytes = JSON.stringify(input).length;
  if (bytes > MAX_BYTES) throw payloadTooLarge(`The rich text is ${bytes} bytes of JSON; at most ${MAX_BYTES} are accepted`);
  return input as RichTextDocument;
}

const blockTypes = new Set(['paragraph', 'heading', 'quote', 'listitem', 'code']);

/** Plain text of a Lexical state: one line per block. */
export function richTextToPlainText(doc: RichTextDocument): string {
  const lines: string[] = [];
  const walk = (node: LexicalNode, line: string[]): void => {
    if (node.type === 'text' || node.type === 'code-highlight') line.push(node.text ?? '');
    else if (node.type === 'linebreak') line.push('\n');
    for (const child of node.children ?? []) {
      if (child.type && blockTypes.has(child.type)) {
        const inner: string[] = [];
        walk(child, inner);
        lines.push((child.type === 'listitem' ? '• ' : '') + inner.join(''));
      } else walk(child, line);
    }
  };
  const top: string[] = [];
  walk(doc.root, top);
  if (top.length) lines.unshift(top.join(''));
  return lines.join('\n').trim();
}

/** Safe HTML of a Lexical state: only text, paragraphs, headings, lists, quotes, bold/italic and http(s) links. */
export function richTextToHtml(doc: RichTextDocument): string {
  const render = (node: LexicalNode): string => {
    const inner = () => (node.children ?? []).map(render).join('');
    switch (node.type) {
      case 'root':
        return inner();
      case 'text': {
        let html = escapeHtml(node.text ?? '');
        if ((node.format ?? 0) & 1) html = `<strong>${html}</strong>`;
        if ((node.format ?? 0) & 2) html = `<em>${html}</em>`;
        return html;
      }
      case 'linebreak':
        return '<br>';
      case 'paragraph':
        return `<p>${inner()}</p>`;
      case 'heading':
        return /^h[1-6]$/.test(node.tag ?? '') ? `<${node.tag}>${inner()}</${node.tag}>` : `<p>${inner()}</p>`;
      case 'quote':
        return `<blockquote>${inner()}</blockquote>`;
      case 'list':
        return node.listType === 'number' ? `<ol>${inner()}</ol>` : `<ul>${inner()}</ul>`;
      case 'listitem':
        return `<li>${inner()}</li>`;
      case 'link':
      case 'autolink':
        return /^https?:\/\//i.test(node.url ?? '') ? `<a href="${escapeHtml(node.url!)}">${inner()}</a>` : inner();
      default:
        return inner();
    }
  };
  return render(doc.root);
}
