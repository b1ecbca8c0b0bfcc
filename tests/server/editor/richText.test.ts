import { describe, expect, it } from 'vitest';
import { parseRichText, richTextToHtml, richTextToPlainText } from '../../../server/editor/index.js';
import { documentFromPlainText, emptyDocument, extractMentionedUserIds, isRichTextEmpty, mentionsEveryone, TEXT_FORMAT } from '../../../shared/richText/index.js';
import {
  appErrorFrom,
  expectSafeHtml,
  checkItem,
  code,
  heading,
  item,
  linebreak,
  link,
  list,
  mention,
  paragraph,
  quote,
  state,
  tab,
  text,
} from './richTextFixtures.js';

/** Expects a 400 bad_request whose message starts with `path: ` and mentions `words`. */
function expectRefused(input: unknown, path: string, words: RegExp) {
  const error = appErrorFrom(() => parseRichText(input));
  expect(error.status).toBe(400);
  expect(error.code).toBe('bad_request');
  expect(error.message.startsWith(path ? `${path}: ` : '')).toBe(true);
  expect(error.message).toMatch(words);
  expect(error.details).toEqual([{ path, message: expect.any(String), code: 'invalid_rich_text' }]);
}

describe('parseRichText accepts', () => {
  it('every node type and keeps their fields', () => {
    const input = state(
      heading('h2', text('Plan')),
      paragraph(text('bold', TEXT_FORMAT.bold), linebreak(), tab(), link('https://example.com/a?b=1', text('site')), text(' '), mention('42', '王芳')),
      quote(text('quoted')),
      list('bullet', item(text('one')), item(list('number', item(text('nested'))))),
      list('check', checkItem(true, text('done')), checkItem(false, text('todo'))),
      code('js', text('let x = 1;'), linebreak(), { type: 'code-highlight', text: 'x', highlightType: 'variable', format: 0, detail: 0, mode: 'normal', style: '', version: 1 }),
      paragraph(link('mailto:sales@example.com', text('mail us'))),
    );
    const doc = parseRichText(input);
    expect(doc).toEqual(input);
  });

  it('fills defaults that a compact export omits and drops unknown keys', () => {
    const doc = parseRichText({
      extra: 1,
      root: { type: 'root', children: [{ type: 'paragraph', $: { state: 1 }, children: [{ type: 'text', text: 'hi', futureField: true }] }] },
    });
    expect(doc).toEqual({
      root: {
        type: 'root',
        version: 1,
        direction: null,
        format: '',
        indent: 0,
        children: [
          {
            type: 'paragraph',
            version: 1,
            direction: null,
            format: '',
            indent: 0,
            textFormat: 0,
            textStyle: '',
            children: [{ type: 'text', version: 1, text: 'hi', format: 0, detail: 0, mode: 'normal', style: '' }],
          },
        ],
      },
    });
  });

  it('drops link rel/target (the renderer sets its own) and corrects a list tag that contradicts listType', () => {
    const doc = parseRichText(state(paragraph({ ...link('https://a.example', text('a')), rel: 'opener', target: '_self' }), { ...list('number', item(text('x'))), tag: 'ul' }));
    const anchor = (doc.root.children[0] as { children: Record<string, unknown>[] }).children[0];
    expect(anchor).not.toHaveProperty('rel');
    expect(anchor).not.toHaveProperty('target');
    expect(doc.root.children[1]).toMatchObject({ type: 'list', listType: 'number', tag: 'ol' });
  });

  it('an empty root, and the helpers’ documents', () => {
    expect(parseRichText(state()).root.children).toEqual([]);
    expect(parseRichText(emptyDocument())).toEqual(emptyDocument());
    expect(parseRichText(documentFromPlainText('第一行\n\n第三行'))).toEqual(documentFromPlainText('第一行\n\n第三行'));
  });
});

describe('a mention of everyone', () => {
  it('stays a mention only where the place allows it, and is never one of the mentioned user ids', () => {
    const doc = state(paragraph(text('开会 '), mention('all', '所有人'), mention('42', '王芳')));
    const kept = parseRichText(doc, {}, { mentionEveryone: true });
    expect(mentionsEveryone(kept)).toBe(true);
    expect(extractMentionedUserIds(kept)).toEqual(['42']);
    expect(richTextToPlainText(kept)).toBe('开会 @所有人@王芳');
    // Elsewhere (a customer comment, a note, a report) it reads as it did and notifies no one.
    const plain = parseRichText(doc);
    expect(mentionsEveryone(plain)).toBe(false);
    expect((plain.root.children[0] as any).children[1]).toMatchObject({ type: 'text', text: '@所有人' });
    expect(richTextToPlainText(plain)).toBe('开会 @所有人@王芳');
    expectRefused(state(paragraph(mention('everyone', 'x'))), 'root.children[0].children[0]', /numeric user id or "all"/);
  });
});

describe('parseRichText refuses', () => {
  it('a value that is not an editor state', () => {
    for (const input of [null, 'text', 42, [], { root: 'x' }, {}]) expectRefused(input, '', /editor state/);
  });

  it('an unknown node type, naming its path', () => {
    expectRefused(state(paragraph(text('a')), paragraph(text('b'), { type: 'image', src: 'x.png', version: 1 })), 'root.children[1].children[1]', /unknown node type "image"/);
    expectRefused(state(paragraph({ type: 'toString' })), 'root.children[0].children[0]', /unknown node type "toString"/);
  });

  it('a javascript:, data: or relative link', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>', '/relative', 'ftp://x', 'https://exa mple.com']) {
      expectRefused(state(paragraph(text('x')), paragraph(link(url, text('click')))), 'root.children[1].children[0]', /link url must be an absolute http, https or mailto URL/);
    }
    expectRefused(state(paragraph(link(`https://example.com/${'a'.repeat(2100)}`, text('long')))), 'root.children[0].children[0]', /at most 2048/);
  });

  it('inline styles', () => {
    expectRefused(state(paragraph({ ...text('x'), style: 'background:url(javascript:alert(1))' })), 'root.children[0].children[0]', /text style must be empty/);
    expectRefused(state({ ...paragraph(text('x')), textStyle: 'color:red' }), 'root.children[0]', /paragraph textStyle must be empty/);
  });

  it('nesting deeper than the limit, and accepts it at the limit', () => {
    const nested = (levels: number): Record<string, unknown> => (levels === 0 ? item(text('leaf')) : item(list('bullet', nested(levels - 1))));
    // root > list > listitem (> list > listitem)*k > text: the text sits at depth 3 + 2k.
    expect(() => parseRichText(state(list('bullet', nested(4))))).not.toThrow();
    expectRefused(state(list('bullet', nested(5))), 'root.children[0]' + '.children[0]'.repeat(12), /deeper than 12 levels/);
    expect(() => parseRichText(state(list('bullet', nested(5))), { maxDepth: 14 })).not.toThrow();
  });

  it('a document over the size limit with 413 payload_too_large', () => {
    const big = state(...Array.from({ length: 700 }, () => paragraph(text('这是一段很长的中文文字。'))));
    const error = appErrorFrom(() => parseRichText(big));
    expect(error.status).toBe(413);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toMatch(/at most 65536/);
    expect(() => parseRichText(big, { maxBytes: 1024 * 1024 })).not.toThrow();
  });

  it('more text than the text limit with 413', () => {
    const error = appErrorFrom(() => parseRichText(state(paragraph(text('a'.repeat(600)))), { maxTextLength: 500 }));
    expect(error.code).toBe('payload_too_large');
  });

  it('a bad heading tag, list type or field type', () => {
    expectRefused(state(heading('h7', text('x'))), 'root.children[0]', /heading tag must be one of h1, h2, h3, h4, h5, h6/);
    expectRefused(state(heading('script', text('x'))), 'root.children[0]', /heading tag/);
    expectRefused(state(list('roman', item(text('x')))), 'root.children[0]', /list listType must be one of bullet, number, check/);
    expectRefused(state(paragraph({ ...text('x'), format: 'bold' })), 'root.children[0].children[0]', /text format must be a whole number from 0 to 2047/);
    expectRefused(state(paragraph({ ...text('x'), format: 4096 })), 'root.children[0].children[0]', /text format/);
    expectRefused(state(paragraph({ ...text('x'), text: 5 })), 'root.children[0].children[0]', /text text must be a string/);
    expectRefused(state(paragraph({ type: 'link', children: [] })), 'root.children[0].children[0]', /link url is required/);
    expectRefused(state(paragraph({ type: 'mention', name: 'x' })), 'root.children[0].children[0]', /mention userId is required/);
    expectRefused(state(paragraph({ ...text('x'), mode: 'evil' })), 'root.children[0].children[0]', /text mode must be one of normal, token, segmented/);
    expectRefused(state({ ...paragraph(), indent: -1 }), 'root.children[0]', /paragraph indent must be a whole number/);
    expectRefused(state({ ...paragraph(), children: 'nope' }), 'root.children[0].children', /must be an array/);
    expectRefused(state(paragraph(mention('abc', 'x'))), 'root.children[0].children[0]', /mention userId must be a numeric user id/);
    expectRefused(state(paragraph({ ...mention('1', 'x'), version: 2 })), 'root.children[0].children[0]', /mention version must be 1/);
    expectRefused(state(paragraph(mention('1', ''))), 'root.children[0].children[0]', /mention name must not be empty/);
  });

  it('children where they are not allowed', () => {
    expectRefused(state(text('loose')), 'root.children[0]', /a text node cannot be inside a root/);
    expectRefused(state(paragraph(paragraph(text('x')))), 'root.children[0].children[0]', /a paragraph node cannot be inside a paragraph/);
    expectRefused(state(list('bullet', text('x'))), 'root.children[0].children[0]', /a text node cannot be inside a list \(allowed there: listitem\)/);
    expectRefused(state(paragraph(link('https://a.example', link('https://b.example', text('x'))))), 'root.children[0].children[0].children[0]', /a link node cannot be inside a link/);
    expectRefused(state(code(null, mention('1', 'x'))), 'root.children[0].children[0]', /a mention node cannot be inside a code/);
    expectRefused(state(paragraph({ ...text('x'), children: [text('y')] })), 'root.children[0].children[0]', /a text node cannot have children/);
    expectRefused({ root: paragraph(text('x')) }, 'root', /top node must be of type "root"/);
    expectRefused(state(paragraph(state().root)), 'root.children[0].children[0]', /a root node cannot be inside a paragraph/);
  });

  it('input that is not plain JSON without crashing', () => {
    const cyclic: Record<string, unknown> = state(paragraph(text('x')));
    cyclic.self = cyclic;
    expectRefused(cyclic, '', /plain JSON/);
    expectRefused({ root: { type: 'root', children: [], big: 10n } }, '', /plain JSON/);
  });
});

describe('richTextToPlainText', () => {
  it('separates blocks with newlines, prefixes list items and quote lines, shows mentions and link targets', () => {
    const doc = parseRichText(
      state(
        heading('h1', text('周报')),
        paragraph(text('你好 '), mention('7', '李雷'), text('，请看 '), link('https://example.com/r', text('报告')), text('。')),
        list('bullet', item(text('拜访客户')), item(list('bullet', item(text('上海')), item(text('北京'))))),
        list('number', item(text('first')), item(text('second'))),
        list('check', checkItem(true, text('已完成')), checkItem(false, text('未完成'))),
        quote(text('line one'), linebreak(), text('line two')),
        code('sql', text('select 1;'), linebreak(), tab(), text('-- end')),
        paragraph(),
        paragraph(link('https://example.com', text('https://example.com')), text(' '), link('mailto:a@example.com', text('a@example.com'))),
      ),
    );
    expect(richTextToPlainText(doc)).toBe(
      [
        '周报',
        '你好 @李雷，请看 报告 (https://example.com/r)。',
        '- 拜访客户',
        '  - 上海',
        '  - 北京',
        '1. first',
        '2. second',
        '[x] 已完成',
        '[ ] 未完成',
        '> line one',
        '> line two',
        'select 1;',
        '\t-- end',
        '',
        'https://example.com a@example.com',
      ].join('\n'),
    );
  });

  it('numbers from the list start and round-trips plain text', () => {
    const doc = parseRichText(state({ ...list('number', item(text('a')), item(text('b'))), start: 5 }));
    expect(richTextToPlainText(doc)).toBe('5. a\n6. b');
    expect(richTextToPlainText(documentFromPlainText('甲\n\n乙'))).toBe('甲\n\n乙');
  });
});

describe('richTextToHtml', () => {
  it('renders each node with whitelisted tags', () => {
    const doc = parseRichText(
      state(
        heading('h3', text('T')),
        paragraph(text('b', TEXT_FORMAT.bold | TEXT_FORMAT.italic), text('u', TEXT_FORMAT.underline), text('s', TEXT_FORMAT.strikethrough), text('c', TEXT_FORMAT.code), linebreak(), mention('42', '王芳')),
        paragraph(),
        quote(text('q')),
        { ...list('number', item(text('one')), item(list('bullet', item(text('inner'))))), start: 3 },
        list('check', checkItem(true, text('done'))),
        code('js', text('a < b'), linebreak(), text('c')),
        paragraph({ ...link('https://example.com/?a=1&b=2', text('go')), title: 'Example' }),
      ),
    );
    expect(richTextToHtml(doc)).toBe(
      '<h3>T</h3>' +
        '<p><strong><em>b</em></strong><u>u</u><s>s</s><code>c</code><br><span class="mention" data-user-id="42">@王芳</span></p>' +
        '<p><br></p>' +
        '<blockquote>q</blockquote>' +
        '<ol start="3"><li>one<ul><li>inner</li></ul></li></ol>' +
        '<ul class="checklist"><li class="checked">☑ done</li></ul>' +
        '<pre><code class="language-js">a &lt; b\nc</code></pre>' +
        '<p><a href="https://example.com/?a=1&amp;b=2" title="Example" target="_blank" rel="noopener noreferrer nofollow">go</a></p>',
    );
  });

  it('escapes markup in text, names, titles and URLs', () => {
    const doc = parseRichText(
      state(
        paragraph(text('<script>alert(1)</script>'), text('"><img src=x onerror=alert(1)>')),
        paragraph(mention('1', '<b onmouseover="x">'), link('https://x.example/"onerror="alert(1)', text("it's")), { ...link('https://y.example', text('y')), title: '" onclick="alert(1)' }),
      ),
    );
    const html = richTextToHtml(doc);
    expect(html).not.toMatch(/<script|<img|<b /i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('@&lt;b onmouseover=&quot;x&quot;&gt;');
    expect(html).toContain('href="https://x.example/&quot;onerror=&quot;alert(1)"');
    expect(html).toContain('it&#39;s');
    expect(html).toContain('title="&quot; onclick=&quot;alert(1)"');
    // Every quote inside a value is escaped, so no attribute can be injected into any tag.
    expectSafeHtml(html);
  });
});

describe('document helpers', () => {
  it('extracts mentioned user ids once each, in order, including inside lists', () => {
    const doc = parseRichText(state(paragraph(mention('9', 'A'), text(' '), mention('3', 'B')), list('bullet', item(mention('9', 'A'), mention('12', 'C')))));
    expect(extractMentionedUserIds(doc)).toEqual(['9', '3', '12']);
    expect(extractMentionedUserIds(emptyDocument())).toEqual([]);
  });

  it('tells an empty document from one with content', () => {
    expect(isRichTextEmpty(emptyDocument())).toBe(true);
    expect(isRichTextEmpty(parseRichText(state(paragraph(text('  ')), paragraph())))).toBe(true);
    expect(isRichTextEmpty(parseRichText(state(paragraph(mention('1', 'A')))))).toBe(false);
    expect(isRichTextEmpty(documentFromPlainText('x'))).toBe(false);
  });
});
