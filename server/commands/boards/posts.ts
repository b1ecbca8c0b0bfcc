import { extractMentionedUserIds, isRichTextEmpty, parseRichText, richTextToPlainText, type RichTextDocument } from '../../editor/index.js';
import { badRequest, fieldProblem } from '../../errors.js';

/** A thread's opening post or a reply: checked Lexical JSON, its plain text, whom it mentions. */
export type ParsedPost = { doc: RichTextDocument; text: string; mentioned: string[] };

/** Parses a post's rich text with the platform's rules; an empty one is refused for `path`. */
export function parsePost(raw: unknown, path = 'body'): ParsedPost {
  const doc = parseRichText(raw);
  if (isRichTextEmpty(doc)) throw badRequest('Write something first', [fieldProblem(path, 'required', 'is empty')]);
  return { doc, text: richTextToPlainText(doc), mentioned: extractMentionedUserIds(doc) };
}

/** Users mentioned in `after` who were not in `before` (an edit notifies only them). */
export const newlyMentioned = (before: Record<string, unknown> | null, after: ParsedPost) => {
  const earlier = new Set(before ? extractMentionedUserIds(before as never) : []);
  return after.mentioned.filter((id) => !earlier.has(id));
};
