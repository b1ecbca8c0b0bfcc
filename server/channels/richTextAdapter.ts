/**
 * The one seam between reminders/e-mail and the platform's rich-text module. Until
 * server/editor (parseRichText, richTextToPlainText, richTextToHtml) is merged, a small
 * Lexical walker stands in for it; the merge points these three functions at server/editor.
 */
type LexicalNode = { type?: string; text?: string; tag?: string; listType?: string; url?: string; format?: number; children?: LexicalNode[] };

const MAX_NOTE_BYTES = 64 * 1024;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Checks that a value looks like a Lexical editor state of bounded size; returns a readable problem or null. */
export function checkRichText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'must be a Lexical editor state (an object with root)';
  const root = (value as { root?: LexicalNode }).root;
  if (!root || root.type !== 'root' || !Array.isArray(root.children)) return 'must have a root node with children';
  if (JSON.stringify(value).length > MAX_NOTE_BYTES) return `must be at most ${MAX_NOTE_BYTES / 1024} KB`;
  return null;
}

const blockTypes = new Set(['paragraph', 'heading', 'quote', 'listitem', 'code']);

/** Plain text of a Lexical state: one line per block. */
export function richTextToPlainText(value: unknown): string {
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
  const root = (value as { root?: LexicalNode } | null)?.root;
  if (!root) return '';
  const top: string[] = [];
  walk(root, top);
  if (top.length) lines.unshift(top.join(''));
  return lines.join('\n').trim();
}

/** Safe HTML of a Lexical state: only text, paragraphs, headings, lists, quotes, bold/italic and http(s) links. */
export function richTextToHtml(value: unknown): string {
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
  const root = (value as { root?: LexicalNode } | null)?.root;
  return root ? render(root) : '';
}
