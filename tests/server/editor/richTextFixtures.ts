/** Builders for raw (unvalidated) Lexical JSON as an editor would send it, in the full (non-compact) form. */
import { expect } from 'vitest';
import { AppError } from '../../../server/errors.js';

type Json = Record<string, unknown>;
const element = { direction: null, format: '', indent: 0, version: 1 };

export const text = (value: string, format = 0): Json => ({ type: 'text', text: value, format, detail: 0, mode: 'normal', style: '', version: 1 });
export const paragraph = (...children: Json[]): Json => ({ type: 'paragraph', ...element, textFormat: 0, textStyle: '', children });
export const heading = (tag: string, ...children: Json[]): Json => ({ type: 'heading', tag, ...element, children });
export const quote = (...children: Json[]): Json => ({ type: 'quote', ...element, children });
export const list = (listType: string, ...items: Json[]): Json => ({
  type: 'list',
  listType,
  start: 1,
  tag: listType === 'number' ? 'ol' : 'ul',
  ...element,
  children: items,
});
export const item = (...children: Json[]): Json => ({ type: 'listitem', value: 1, ...element, children });
export const checkItem = (checked: boolean, ...children: Json[]): Json => ({ ...item(...children), checked });
export const code = (language: string | null, ...children: Json[]): Json => ({ type: 'code', language, ...element, children });
export const link = (url: string, ...children: Json[]): Json => ({ type: 'link', url, title: null, ...element, children });
export const mention = (userId: string, name: string): Json => ({ type: 'mention', version: 1, userId, name });
export const linebreak = (): Json => ({ type: 'linebreak', version: 1 });
export const tab = (): Json => ({ type: 'tab', text: '\t', format: 0, detail: 2, mode: 'normal', style: '', version: 1 });
export const state = (...blocks: Json[]): { root: Json } => ({ root: { type: 'root', ...element, children: blocks } });

/** Runs `fn`, expects an AppError and returns it. */
export function appErrorFrom(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

const allowedTags = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre', 'code', 'a', 'span', 'br', 'strong', 'em', 'u', 's', 'sub', 'sup', 'mark']);
const allowedAttributes = new Set(['href', 'target', 'rel', 'title', 'class', 'data-user-id', 'start']);

/**
 * Checks HTML the way a browser would tokenize its tags: every `<...>` must be a whitelisted tag
 * with whitelisted, double-quoted attributes, no `on*` handler, and href only to http(s)/mailto
 * (so no javascript: URL anywhere).
 * (Text between tags may say "onerror=" or "javascript:"; escaped, it is only text.)
 */
export function expectSafeHtml(html: string): void {
  expect(html).not.toMatch(/<script/i);
  // Outside tags no raw < may remain: text is escaped, so every < opens one of our tags.
  const tags = html.match(/<[^>]*>/g) ?? [];
  expect(html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>"]/);
  for (const tag of tags) {
    const parsed = /^<\/?([a-z0-9]+)((?:\s[a-z-]+="[^"<>]*")*)>$/.exec(tag);
    expect(parsed, tag).not.toBeNull();
    expect(allowedTags.has(parsed![1]), tag).toBe(true);
    for (const [, name, value] of parsed![2].matchAll(/\s([a-z-]+)="([^"]*)"/g)) {
      expect(allowedAttributes.has(name), `${name} in ${tag}`).toBe(true);
      expect(name).not.toMatch(/^on/i);
      // href is the only URL-bearing attribute allowed; a title may say "javascript:" as harmlessly as text can.
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/|mailto:)/i);
    }
  }
}
