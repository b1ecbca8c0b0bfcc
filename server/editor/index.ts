/**
 * Headless rich text for the server: validate incoming Lexical JSON once at
 * the edge (route or socket handler), store the returned document with its
 * plain text, and render HTML where a message leaves the app (e-mail).
 *
 *   const body = parseRichText(payload.body);           // throws AppError 400 / 413
 *   const text = richTextToPlainText(body);             // search, previews, SMS
 *   const mentioned = extractMentionedUserIds(body);    // notify them
 *   const html = richTextToHtml(body);                  // e-mail
 */
export { parseRichText, type RichTextOptions } from './validate.js';
export { richTextToPlainText } from './toText.js';
export { richTextToHtml, escapeHtml } from './toHtml.js';
export {
  defaultRichTextLimits,
  documentFromPlainText,
  emptyDocument,
  extractMentionedUserIds,
  mentionsEveryone,
  isRichTextEmpty,
  type RichTextDocument,
  type RichTextLimits,
} from '../../shared/richText/index.js';
