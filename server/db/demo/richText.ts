import { MENTION_EVERYONE, MENTION_EVERYONE_NAME, type RichTextDocument, type RichTextInlineNode } from '../../../shared/richText/index.js';

/** Someone a demo text may mention: `@{login}` in the text becomes a mention of them. */
export type Mentionable = { id: string; displayName: string };

const text = (value: string): RichTextInlineNode => ({ type: 'text', version: 1, text: value, format: 0, detail: 0, mode: 'normal', style: '' });

/**
 * The Lexical document of a demo text: one paragraph per line, and `@{login}` turned into a
 * mention node of that user (as the client's mention picker writes it); `@{all}` mentions everyone
 * (@所有人, for a group's owner or admin to write).
 */
export function demoRichText(value: string, people: (login: string) => Mentionable): Record<string, unknown> {
  const paragraphs = value.split('\n').map((line) => {
    const children: RichTextInlineNode[] = [];
    let rest = line;
    for (let match = /@\{(\w+)\}/.exec(rest); match; match = /@\{(\w+)\}/.exec(rest)) {
      if (match.index > 0) children.push(text(rest.slice(0, match.index)));
      const person = match[1] === MENTION_EVERYONE ? { id: MENTION_EVERYONE, displayName: MENTION_EVERYONE_NAME } : people(match[1]);
      children.push({ type: 'mention', version: 1, userId: person.id, name: person.displayName });
      rest = rest.slice(match.index + match[0].length);
    }
    if (rest) children.push(text(rest));
    return { type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children };
  });
  const doc = { root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children: paragraphs } };
  return doc as unknown as RichTextDocument as unknown as Record<string, unknown>;
}

/** The logins a demo text mentions. */
export const mentionedLogins = (value: string) => [...value.matchAll(/@\{(\w+)\}/g)].map((m) => m[1]).filter((login) => login !== MENTION_EVERYONE);
