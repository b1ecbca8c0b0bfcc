/** Helpers for report tests: dates in the organisation's zone, and a passage marked as the web client marks it. */

/** The date `days` from today in a zone (Asia/Shanghai, the organisation's default). */
export function dayFromToday(days: number, timeZone = 'Asia/Shanghai'): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The local time HH:MM in a zone `minutes` from now. */
export function timeFromNow(minutes: number, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + minutes * 60_000));
}

type Node = { type: string; text?: string; children?: Node[]; [key: string]: unknown };

/**
 * The document with the first occurrence of `passage` (inside one text node) wrapped in a mark with
 * `markId`, the way Lexical's $wrapSelectionInMarkNode leaves it: the text node split in three.
 */
export function markPassage(doc: Record<string, unknown>, passage: string, markId: string): Record<string, unknown> {
  const copy = structuredClone(doc) as { root: Node };
  let done = false;
  const visit = (node: Node) => {
    if (done || !node.children) return;
    for (let i = 0; i < node.children.length && !done; i++) {
      const child = node.children[i];
      const at = child.type === 'text' && child.text ? child.text.indexOf(passage) : -1;
      if (at < 0) {
        visit(child);
        continue;
      }
      const piece = (text: string) => ({ ...child, text });
      const parts: Node[] = [];
      if (at > 0) parts.push(piece(child.text!.slice(0, at)));
      parts.push({ type: 'mark', version: 1, direction: null, format: '', indent: 0, ids: [markId], children: [piece(passage)] });
      if (at + passage.length < child.text!.length) parts.push(piece(child.text!.slice(at + passage.length)));
      node.children.splice(i, 1, ...parts);
      done = true;
    }
  };
  visit(copy.root);
  if (!done) throw new Error(`"${passage}" is not in the document`);
  return copy as unknown as Record<string, unknown>;
}

/** Replaces text in every text node of a document (an author editing a passage). */
export function replaceText(doc: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc).split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1)));
}
