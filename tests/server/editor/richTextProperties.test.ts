/**
 * Property-based tests: the validator never crashes on hostile input, and whatever it accepts
 * renders to safe HTML. The document generator follows the grammar most of the time (so many
 * inputs validate) and mutates it with hostile values and misplaced nodes the rest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRichText, richTextToHtml, richTextToPlainText } from '../../../server/editor/index.js';
import { AppError } from '../../../server/errors.js';
import { expectSafeHtml } from './richTextFixtures.js';

type Json = Record<string, unknown>;

/** Runs parseRichText; any throw other than AppError fails the property. */
function parseOrNull(input: unknown) {
  try {
    return parseRichText(input);
  } catch (error) {
    if (!(error instanceof AppError)) throw new Error(`threw ${String(error)} instead of an AppError`);
    expect([400, 413]).toContain(error.status);
    return null;
  }
}

const payloads = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  'javascript:alert(1)',
  '</p><script>',
  '&lt;script&gt;',
  '<!--',
  ']]>',
  '\u0000\u2028',
  '王芳 <b>',
];
const nastyString = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...payloads), fc.string({ unit: 'grapheme', maxLength: 10 }));
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'https://x.example/"><script>alert(1)</script>',
    'https://x.example/" onmouseover="alert(1)',
    'mailto:a@example.com?subject=<script>',
    '//evil.example',
  ),
);
// Mostly valid values, sometimes wrong types.
const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
const extraKeys = fc.dictionary(fc.constantFrom('onclick', '__proto__', 'constructor', 'style', 'href', '$', 'innerHTML'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });

const textFields = {
  text: maybe(nastyString),
  format: maybe(fc.integer({ min: 0, max: 2047 })),
  mode: maybe(fc.constantFrom('normal', 'token', 'segmented')),
  style: maybe(fc.constantFrom('', '', '', 'color:red', 'background:url(javascript:alert(1))')),
};

const { block } = fc.letrec<{ block: Json; inline: Json; item: Json; list: Json }>((tie) => {
  const node = (type: string, fields: Record<string, fc.Arbitrary<unknown>>, children?: fc.Arbitrary<Json[]>) =>
    fc
      .record({ fields: fc.record(fields), children: children ?? fc.constant(undefined), extra: extraKeys })
      .map(({ fields: f, children: c, extra }) => ({ ...extra, type, version: 1, ...f, ...(c ? { children: c } : {}) }));
  const inlines = fc.array(tie('inline'), { maxLength: 4 });
  const text = node('text', textFields);
  return {
    inline: fc.oneof(
      { weight: 6, arbitrary: text },
      { weight: 1, arbitrary: node('linebreak', {}) },
      { weight: 2, arbitrary: node('mention', { userId: maybe(fc.oneof(fc.integer({ min: 1 }).map(String), fc.constantFrom(...payloads))), name: maybe(nastyString) }) },
      { weight: 2, arbitrary: node('link', { url: maybe(url), title: maybe(fc.option(nastyString)) }, fc.array(text, { maxLength: 2 })) },
      { weight: 1, arbitrary: fc.constantFrom<Json>({ type: 'script', text: '<script>alert(1)</script>' }, { type: 'image', src: 'x' }) },
    ),
    item: node('listitem', { checked: maybe(fc.option(fc.boolean(), { nil: undefined })) }, fc.array(fc.oneof({ weight: 4, arbitrary: tie('inline') }, { weight: 1, arbitrary: tie('list') }), { maxLength: 3 })),
    list: node('list', { listType: maybe(fc.constantFrom('bullet', 'number', 'check')), start: maybe(fc.integer({ min: 0, max: 100 })) }, fc.array(tie('item'), { maxLength: 3 })),
    block: fc.oneof(
      { weight: 4, arbitrary: node('paragraph', {}, inlines) },
      { weight: 2, arbitrary: node('heading', { tag: maybe(fc.constantFrom('h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'script')) }, inlines) },
      { weight: 1, arbitrary: node('quote', {}, inlines) },
      { weight: 2, arbitrary: tie('list') },
      { weight: 1, arbitrary: node('code', { language: maybe(fc.option(fc.constantFrom('js', 'sql', '"><script>'))) }, fc.array(text, { maxLength: 3 })) },
      { weight: 1, arbitrary: tie('inline') },
    ),
  };
});

const editorState = fc.array(block, { maxLength: 5 }).map((children) => ({ root: { type: 'root', direction: null, format: '', indent: 0, version: 1, children } }));

describe('parseRichText on random input', () => {
  it('throws only AppError for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (value) => {
        parseOrNull(value);
        parseOrNull({ root: value });
        parseOrNull({ root: { type: 'root', children: [value] } });
      }),
      { numRuns: 500 },
    );
  });

  it('throws only AppError for arbitrary JSON nested into a paragraph', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        parseOrNull({ root: { type: 'root', children: [{ type: 'paragraph', children: [value] }] } });
        parseOrNull({ root: { type: 'root', children: [{ type: 'paragraph', children: value }] } });
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a fair share of grammar-shaped documents, renders them safely and is idempotent', () => {
    let accepted = 0;
    fc.assert(
      fc.property(editorState, (input) => {
        const doc = parseOrNull(input);
        if (!doc) return;
        accepted++;
        expectSafeHtml(richTextToHtml(doc));
        expect(typeof richTextToPlainText(doc)).toBe('string');
        expect(parseRichText(doc)).toEqual(doc);
      }),
      { numRuns: 600 },
    );
    // Guards the property against a generator that only ever produces refused documents.
    expect(accepted).toBeGreaterThan(60);
  });
});
