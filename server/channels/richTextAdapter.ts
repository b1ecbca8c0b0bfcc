/**
 * The one seam between reminders / e-mail and rich text: the platform's server/editor
 * (validation of Lexical JSON, plain text for SMS and search, safe HTML for e-mail).
 */
export { parseRichText, richTextToPlainText, richTextToHtml, type RichTextDocument } from '../editor/index.js';
