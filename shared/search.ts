/** Search across the workspace (docs/search.md): the kinds of results and what a result carries. */

/** The kinds of objects search finds, in the order their groups are shown. */
export const searchKinds = ['message', 'thread', 'reply', 'report', 'annotation', 'announcement', 'customer', 'contact', 'entry', 'person'] as const;
export type SearchKind = (typeof searchKinds)[number];

/** The longest query accepted (characters). */
export const MAX_SEARCH_QUERY_LENGTH = 100;

/** One result: where it is, a snippet with the matches marked, and the link that opens it in place. */
export type SearchResultDTO = {
  kind: SearchKind;
  id: string;
  /** What the result is in (a conversation's, thread's, customer's or report's name; a person's department). */
  title: string;
  /** Part of the matched text; `highlights` are [start, end) ranges of the matches in it (UTF-16 units). */
  snippet: string;
  highlights: [number, number][];
  /** Its author, owner or publisher; null when anonymous or not applicable. */
  person: { id: string; name: string } | null;
  createdAt: string;
  /** The client path that opens it in place (the message in its conversation, the reply in its thread, the report passage). */
  link: string;
};

/** Results grouped by kind, the best first in each; `counts` are of every match the viewer may see. */
export type SearchResultsDTO = {
  query: string;
  groups: { kind: SearchKind; count: number; items: SearchResultDTO[]; nextCursor: string | null }[];
  total: number;
};
