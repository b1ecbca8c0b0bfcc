/**
 * Passage marks (Lexical's MarkNode) in validated documents: a passage annotation anchors to the
 * text inside the marks carrying its id. The server only reads them (which text a mark holds now),
 * takes them away (a deleted annotation, a mark nobody made) and compares documents apart from them.
 */
import type { RichTextDocument, RichTextInlineNode, RichTextNode, RichTextTextNode } from '../../shared/richText/nodes.js';

type Parent = { children: RichTextNode[] };

const hasChildren = (node: RichTextNode): node is RichTextNode & Parent => 'children' in node;
const isPlainText = (node: RichTextNode): node is RichTextTextNode => node.type === 'text' && node.mode === 'normal';
// Lexical merges neighbouring text of the same format when a mark around part of it goes (and splits it when one comes).
const mergeable = (a: RichTextTextNode, b: RichTextTextNode) => a.format === b.format && a.detail === b.detail && a.style === b.style;

/** Children with marks replaced by what they hold (when `unwrap` says so), and neighbouring plain text merged. */
function rebuild(children: readonly RichTextNode[], unwrap: (ids: string[]) => string[] | null): RichTextNode[] {
  const out: RichTextNode[] = [];
  const push = (node: RichTextNode) => {
    const last = out[out.length - 1];
    if (isPlainText(node) && node.text === '') return;
    if (last && isPlainText(last) && isPlainText(node) && mergeable(last, node)) out[out.length - 1] = { ...last, text: last.text + node.text };
    else out.push(node);
  };
  for (const child of children) {
    if (child.type === 'mark') {
      const inner = rebuild(child.children, unwrap);
      const ids = unwrap(child.ids);
      if (ids && ids.length && inner.length) out.push({ ...child, ids, children: inner as RichTextInlineNode[] });
      else inner.forEach(push);
    } else if (hasChildren(child)) {
      push({ ...child, children: rebuild(child.children, unwrap) } as RichTextNode);
    } else {
      push(child);
    }
  }
  return out;
}

/** The document without the mark ids `keep` refuses; a mark left with none gives way to its text. */
export function filterMarks(doc: RichTextDocument, keep: (id: string) => boolean): RichTextDocument {
  const root = { ...doc.root, children: rebuild(doc.root.children, (ids) => ids.filter(keep)) } as RichTextDocument['root'];
  return { root };
}

/** JSON with object keys sorted: a document read back from jsonb has its keys in another order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The document as a string that ignores every mark (and the text splits marks cause) and the order
 * of keys: two documents with the same canonical text differ at most in their passage marks.
 */
export function withoutMarksCanonical(doc: RichTextDocument): string {
  return stableJson(filterMarks(doc, () => false));
}

/** Every mark id in the document. */
export function markIdsOf(doc: RichTextDocument): Set<string> {
  const ids = new Set<string>();
  const walk = (nodes: readonly RichTextNode[]) => {
    for (const node of nodes) {
      if (node.type === 'mark') node.ids.forEach((id) => ids.add(id));
      if (hasChildren(node)) walk(node.children);
    }
  };
  walk(doc.root.children);
  return ids;
}

const leafText = (node: RichTextNode): string => {
  switch (node.type) {
    case 'linebreak':
      return '\n';
    case 'mention':
      return `@${node.name}`;
    case 'text':
    case 'tab':
    case 'code-highlight':
      return node.text;
    default:
      return '';
  }
};

/**
 * The text each mark id holds now, in document order: the marked pieces of one block run together,
 * pieces of different blocks are joined by a line break. One walk for every id of the document.
 */
export function markedTexts(doc: RichTextDocument): Map<string, string> {
  const pieces = new Map<string, string[]>();
  const inline = (nodes: readonly RichTextNode[], active: readonly string[], acc: Map<string, string>) => {
    for (const node of nodes) {
      if (node.type === 'list') block(node);
      else if (node.type === 'mark') inline(node.children, [...active, ...node.ids], acc);
      else if (hasChildren(node)) inline(node.children, active, acc);
      else if (active.length) for (const id of active) acc.set(id, (acc.get(id) ?? '') + leafText(node));
    }
  };
  const block = (node: RichTextNode) => {
    if (node.type === 'list') return node.children.forEach(block);
    if (!hasChildren(node)) return;
    const acc = new Map<string, string>();
    inline(node.children, [], acc);
    for (const [id, text] of acc) pieces.set(id, [...(pieces.get(id) ?? []), text]);
  };
  doc.root.children.forEach(block);
  return new Map([...pieces].map(([id, list]) => [id, list.join('\n')]));
}
