/**
 * The search tokeniser: the one place that decides how text becomes index tokens and how a query
 * becomes the tokens it must match. The index itself is PostgreSQL's (a GIN index on a `text[]`);
 * the embedded PostgreSQL has no Chinese segmenter, and pg_trgm serves neither one- and
 * two-character Chinese queries nor CJK under a C character type, so the tokens are made here.
 *
 * Text is folded code point by code point (NFKC, then lower case: full-width ＡＢＣ１２ is abc12,
 * English is case-blind) and cut into runs:
 *   - a CJK run (Han, kana, Hangul): every character and every overlapping pair of characters;
 *   - a word run (other letters, digits, marks): every character, pair and triple;
 *   - everything else (spaces, punctuation) separates runs and is not indexed.
 * A query is folded and cut the same way and asks, per run, for its single character when it has
 * one, else its pairs (CJK, or a two-character word) or its triples (longer words). A query that is a
 * substring of a text has each of its runs inside one run of the text, so every token it asks for
 * is among the text's tokens: the tokens never lose a match (recall 1). They may over-match
 * ("合作同事" has 合 and 同 but not 合同), so every candidate is confirmed by the exact substring
 * of the folded text, which is why documents store their folded text too.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30FC]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;

/** A text folded for matching, with where each folded UTF-16 unit came from in the original. */
export type Folded = {
  text: string;
  /** offsets[i]: the index in the original of the code point folded unit i came from; offsets[text.length] is the original length. */
  offsets: number[];
};

/** Folds a text: NFKC and lower case per code point, so that offsets map back to the original. */
export function fold(original: string): Folded {
  let text = '';
  const offsets: number[] = [];
  let index = 0;
  for (const cp of original) {
    const folded = cp.normalize('NFKC').toLowerCase();
    for (let i = 0; i < folded.length; i++) offsets.push(index);
    text += folded;
    index += cp.length;
  }
  offsets.push(index);
  return { text, offsets };
}

/** The folded text alone (what documents store and queries compare with). */
export const foldText = (text: string): string => fold(text).text;

type Run = { cjk: boolean; chars: string[] };

/** The runs of a folded text (see the module comment). */
function runsOf(folded: string): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (const ch of folded) {
    const cjk = CJK.test(ch);
    const word = !cjk && WORD.test(ch);
    if (!cjk && !word) {
      current = null;
      continue;
    }
    if (!current || current.cjk !== cjk) runs.push((current = { cjk, chars: [] }));
    current.chars.push(ch);
  }
  return runs;
}

/** The n-grams (by code point) of a run. */
function grams(chars: string[], n: number, into: Set<string>): void {
  for (let i = 0; i + n <= chars.length; i++) into.add(chars.slice(i, i + n).join(''));
}

/** The tokens of a document text (already folded). */
export function documentTokens(folded: string): Set<string> {
  const tokens = new Set<string>();
  for (const run of runsOf(folded)) {
    grams(run.chars, 1, tokens);
    grams(run.chars, 2, tokens);
    if (!run.cjk) grams(run.chars, 3, tokens);
  }
  return tokens;
}

/** The tokens a query (already folded) asks for: empty when it has no letter, digit or CJK character. */
export function queryTokens(folded: string): string[] {
  const tokens = new Set<string>();
  for (const run of runsOf(folded)) {
    if (run.chars.length === 1) grams(run.chars, 1, tokens);
    else if (run.cjk || run.chars.length === 2) grams(run.chars, 2, tokens);
    else grams(run.chars, 3, tokens);
  }
  return [...tokens];
}

/** Where a folded query occurs in a folded text: [start, end) in folded units, non-overlapping, in order. */
export function occurrences(foldedText: string, foldedQuery: string): [number, number][] {
  const found: [number, number][] = [];
  if (!foldedQuery) return found;
  for (let at = foldedText.indexOf(foldedQuery); at >= 0; at = foldedText.indexOf(foldedQuery, at + foldedQuery.length)) {
    found.push([at, at + foldedQuery.length]);
  }
  return found;
}

/** A snippet of a text around the matches of a query, and the matches' ranges inside the snippet (UTF-16 units). */
export type Snippet = { text: string; highlights: [number, number][] };

/**
 * A snippet of at most about `width` characters around the first match, with every match inside it
 * marked; the text's start when nothing matches (a person found by the pinyin of their name). Line
 * breaks become spaces; an ellipsis marks cut ends.
 */
export function snippetOf(original: string, foldedQuery: string, width = 120): Snippet {
  const folded = fold(original);
  const matches = occurrences(folded.text, foldedQuery).map(([s, e]) => [folded.offsets[s]!, folded.offsets[e]!] as [number, number]);
  const first = matches[0];
  let start = 0;
  if (first) start = Math.max(0, Math.min(first[0] - Math.floor((width - (first[1] - first[0])) / 3), original.length - width));
  // Do not cut a surrogate pair in two.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(original[start]!)) start--;
  let end = Math.min(original.length, start + width);
  if (end < original.length && /[\uDC00-\uDFFF]/.test(original[end]!)) end++;
  const prefix = start > 0 ? '…' : '';
  const body = original.slice(start, end).replace(/[\r\n\t]/g, ' ');
  const text = prefix + body + (end < original.length ? '…' : '');
  const highlights = matches
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + prefix.length, e - start + prefix.length] as [number, number]);
  return { text, highlights };
}

/**
 * A token as stored: scoped to its document's kind ("message|合同"), so that each kind's part of a
 * search reads only its own kind's postings of the GIN index instead of every kind's, and a rare
 * kind is not slowed by a frequent one. Queries scope their tokens the same way.
 */
export const scopedToken = (kind: string, token: string): string => `${kind}|${token}`;
