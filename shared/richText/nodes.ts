/**
 * The rich text the product accepts: a subset of Lexical's editor-state JSON.
 *
 * This module is the single source of truth shared by the server (which
 * validates and renders documents, see server/editor/) and the web client
 * (whose editor registers exactly these node types). It runs in Node and in
 * the browser, so it imports nothing from `node:`.
 *
 * A document is `{ root: { type: 'root', children: [...blocks] } }`:
 * - blocks: paragraph, heading (h1–h6), quote, list (bullet | number | check), code;
 * - a list holds only listitems; a listitem holds inline nodes and nested lists;
 * - inline: text, linebreak, tab, link (http/https/mailto), mention;
 * - a link holds text, linebreak and tab; a code block holds text,
 *   code-highlight, linebreak and tab.
 *
 * Fields: each node type's own fields are described by a zod object below.
 * A field at its Lexical default may be missing, because Lexical's compact
 * export (`toJSON(true)`) omits those, so the defaults here are Lexical's
 * (heading tag h1, listType number, text ''); the validated output always has
 * every field. Only a link's url and a mention's userId and name are required.
 *
 * Unknown keys (Lexical NodeState `$`, a link's `rel`/`target`, fields added
 * by a newer Lexical) are DROPPED, not refused: the stored document then holds
 * only what we validated and render, and an editor upgrade that adds a field
 * does not break sending. A known key with a wrong value is refused, and so
 * are unknown node types and children where they are not allowed.
 */
import { z } from 'zod';

/** How big and deep a document may be; every limit can be tightened or widened per use. */
export type RichTextLimits = {
  /** UTF-8 bytes of the JSON, checked on the input and on the validated output. */
  maxBytes: number;
  /** Levels below the root (a paragraph is at 1, its text at 2; each nested list adds 2). */
  maxDepth: number;
  /** Characters in all text, tab and code-highlight nodes together (mention names not counted). */
  maxTextLength: number;
};

/** 64 KiB of JSON, 12 levels (5 nested lists), 20,000 characters: a long report, far above a chat message. */
export const defaultRichTextLimits: Readonly<RichTextLimits> = Object.freeze({
  maxBytes: 64 * 1024,
  maxDepth: 12,
  maxTextLength: 20_000,
});

export const MAX_URL_LENGTH = 2048;
export const MAX_LINK_TITLE_LENGTH = 300;
export const MAX_MENTION_NAME_LENGTH = 100;
/** Lexical's own cap on list nesting by indent is far higher; ten steps is plenty on screen. */
export const MAX_INDENT = 10;

/** Lexical's text format bits (lexical/src/LexicalConstants.ts); a text node's `format` is their OR. */
export const TEXT_FORMAT = Object.freeze({
  bold: 1,
  italic: 2,
  strikethrough: 4,
  underline: 8,
  code: 16,
  subscript: 32,
  superscript: 64,
  highlight: 128,
  lowercase: 256,
  uppercase: 512,
  capitalize: 1024,
});
const ALL_TEXT_FORMATS = 2047;

export const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/** True when `url` may be a link target: http, https or mailto, absolute, no spaces or control characters. */
export function isAllowedLinkUrl(url: string): boolean {
  if (url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  // Browsers strip tabs/newlines inside a scheme ("java\tscript:"), so any whitespace or control character is refused outright.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return false;
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return false;
  try {
    return (LINK_PROTOCOLS as readonly string[]).includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

// Error messages name the node type and field ("heading tag must be ..."); the validator adds the path.
const says = (text: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : text) });
const wholeNumber = (min: number, max: number) => {
  const text = `must be a whole number from ${min} to ${max}`;
  return z.int(says(text)).min(min, says(text)).max(max, says(text));
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, says(`must be one of ${values.map((v) => (v === '' ? '""' : v)).join(', ')}`));
/** Inline CSS is refused: our HTML has no style attribute, and clients that render styles would be open to CSS tricks. */
const emptyStyle = z.literal('', says('must be empty (inline styles are not accepted)')).default('');
const formatBits = wholeNumber(0, ALL_TEXT_FORMATS).default(0);

const elementFields = {
  direction: z.enum(['ltr', 'rtl'], says('must be ltr, rtl or null')).nullable().default(null),
  format: oneOf(['', 'left', 'start', 'center', 'right', 'end', 'justify']).default(''),
  indent: wholeNumber(0, MAX_INDENT).default(0),
};

const textLikeFields = {
  text: z.string(says('must be a string')).default(''),
  format: formatBits,
  detail: wholeNumber(0, 3).default(0),
  mode: oneOf(['normal', 'token', 'segmented']).default('normal'),
  style: emptyStyle,
};

/** The own fields (everything but type, version and children) of each accepted node type. */
export const richTextFieldSchemas = {
  root: z.object(elementFields),
  paragraph: z.object({ ...elementFields, textFormat: formatBits, textStyle: emptyStyle }),
  heading: z.object({ ...elementFields, tag: oneOf(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']).default('h1') }),
  quote: z.object(elementFields),
  // `tag` is derived from listType (Lexical writes ol for number lists, ul otherwise), so a stale one is corrected.
  list: z
    .object({ ...elementFields, listType: oneOf(['bullet', 'number', 'check']).default('number'), start: wholeNumber(0, 1_000_000).default(1), tag: oneOf(['ul', 'ol']).optional() })
    .transform((v) => ({ ...v, tag: v.listType === 'number' ? ('ol' as const) : ('ul' as const) })),
  listitem: z.object({ ...elementFields, checked: z.boolean(says('must be true, false or absent')).optional(), value: wholeNumber(0, 1_000_000).default(1) }),
  code: z.object({
    ...elementFields,
    language: z
      .string(says('must be a string or null'))
      .regex(/^[A-Za-z0-9_#+.-]{1,40}$/, 'must be a language name such as js or python')
      .nullish()
      .transform((v) => v ?? undefined),
  }),
  link: z.object({
    ...elementFields,
    url: z.string(says('must be a string')).refine(isAllowedLinkUrl, `must be an absolute http, https or mailto URL without spaces, at most ${MAX_URL_LENGTH} characters`),
    title: z.string(says('must be a string or null')).max(MAX_LINK_TITLE_LENGTH, `must be at most ${MAX_LINK_TITLE_LENGTH} characters`).nullable().default(null),
  }),
  text: z.object(textLikeFields),
  tab: z.object({ ...textLikeFields, text: z.literal('\t', says('must be a single tab character')).default('\t') }),
  'code-highlight': z.object({
    ...textLikeFields,
    highlightType: z
      .string(says('must be a string or null'))
      .regex(/^[A-Za-z-]{1,40}$/, 'must be a token class name such as keyword')
      .nullish()
      .transform((v) => v ?? undefined),
  }),
  linebreak: z.object({}),
  mention: z.object({
    // Same form as shared/schemas/common.ts idSchema: user ids are bigint keys sent as decimal strings.
    // or "all": everyone in the conversation (@所有人), where the place allows it (see MENTION_EVERYONE).
    userId: z.string(says('must be a user id string')).regex(/^([1-9]\d{0,18}|all)$/, 'must be a numeric user id or "all"'),
    name: z
      .string(says('must be a string'))
      .min(1, 'must not be empty')
      .max(MAX_MENTION_NAME_LENGTH, `must be at most ${MAX_MENTION_NAME_LENGTH} characters`)
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters'),
  }),
} as const;

export type RichTextNodeType = keyof typeof richTextFieldSchemas;

export const BLOCK_TYPES = ['paragraph', 'heading', 'quote', 'list', 'code'] as const;
export const INLINE_TYPES = ['text', 'linebreak', 'tab', 'link', 'mention'] as const;

/** Which node types each element may contain; a type missing here is a leaf and may have no children. */
export const richTextChildTypes: Readonly<Partial<Record<RichTextNodeType, readonly RichTextNodeType[]>>> = {
  root: BLOCK_TYPES,
  paragraph: INLINE_TYPES,
  heading: INLINE_TYPES,
  quote: INLINE_TYPES,
  list: ['listitem'],
  listitem: [...INLINE_TYPES, 'list'],
  code: ['text', 'code-highlight', 'linebreak', 'tab'],
  link: ['text', 'linebreak', 'tab'],
};

/**
 * Mention JSON, written by the client's MentionNode and read everywhere:
 * `{ type: 'mention', version: 1, userId: '42', name: '王芳' }`.
 * `userId` is the mentioned user's id (decimal string), `name` the display
 * name at the time of writing (rendered as `@name`, so old messages keep the
 * name they were written with). The server sets `name` from the users table
 * whatever the writer sent (server/editor/mentions.ts). `version` is ours and meaningful, unlike
 * Lexical's deprecated one: a future shape gets 2.
 */
export const MENTION_VERSION = 1;

/**
 * The `userId` of a mention of everyone (@所有人 / @all): in a group conversation its owners and
 * admins may notify every member at once. Everywhere else, and from anyone else, the server does
 * not keep it as a mention (see server/editor/validate.ts and server/commands/chat/send.ts).
 */
export const MENTION_EVERYONE = 'all';
/** The name a mention of everyone is stored with (each reader's client shows it in their language). */
export const MENTION_EVERYONE_NAME = '所有人';

type Fields<T extends RichTextNodeType> = z.output<(typeof richTextFieldSchemas)[T]>;
type Leaf<T extends RichTextNodeType> = { type: T; version: 1 } & Fields<T>;

// Elements are interfaces because lists nest (list -> listitem -> list), which type aliases cannot express.
export type RichTextTextNode = Leaf<'text'>;
export type RichTextTabNode = Leaf<'tab'>;
export type RichTextLineBreakNode = Leaf<'linebreak'>;
export type RichTextCodeHighlightNode = Leaf<'code-highlight'>;
export type RichTextMentionNode = Leaf<'mention'>;
export interface RichTextLinkNode extends Leaf<'link'> {
  children: (RichTextTextNode | RichTextLineBreakNode | RichTextTabNode)[];
}
export type RichTextInlineNode = RichTextTextNode | RichTextLineBreakNode | RichTextTabNode | RichTextLinkNode | RichTextMentionNode;
export interface RichTextParagraphNode extends Leaf<'paragraph'> {
  children: RichTextInlineNode[];
}
export interface RichTextHeadingNode extends Leaf<'heading'> {
  children: RichTextInlineNode[];
}
export interface RichTextQuoteNode extends Leaf<'quote'> {
  children: RichTextInlineNode[];
}
export interface RichTextListItemNode extends Leaf<'listitem'> {
  children: (RichTextInlineNode | RichTextListNode)[];
}
export interface RichTextListNode extends Leaf<'list'> {
  children: RichTextListItemNode[];
}
export interface RichTextCodeNode extends Leaf<'code'> {
  children: (RichTextTextNode | RichTextCodeHighlightNode | RichTextLineBreakNode | RichTextTabNode)[];
}
export type RichTextBlockNode = RichTextParagraphNode | RichTextHeadingNode | RichTextQuoteNode | RichTextListNode | RichTextCodeNode;
export interface RichTextRootNode extends Leaf<'root'> {
  children: RichTextBlockNode[];
}
export type RichTextNode = RichTextRootNode | RichTextBlockNode | RichTextListItemNode | RichTextInlineNode | RichTextCodeHighlightNode;

/** A validated document, as stored (jsonb) and as the client's editor loads it. */
export type RichTextDocument = { root: RichTextRootNode };
