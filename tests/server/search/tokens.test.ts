import { describe, expect, it } from 'vitest';
import { documentTokens, fold, foldText, occurrences, queryTokens, snippetOf } from '../../../server/search/tokens.js';

/** Chinese, English and mixed texts of the kinds people write: chat, reports, order numbers, names. */
const corpus = [
  '请把合同发给客户，今天下班前确认。',
  '客户说合作同事的态度很好',
  '合同编号 HT-2026-00123 已盖章',
  '风驰传媒的张伟下周来访，讨论年度框架合同',
  'Please send the contract to 风驰传媒 before Friday',
  'The contracts for Q3 are signed; order SO-20261206-0042 shipped.',
  '订单SO-20261206-0042延迟发货，客户投诉',
  '报销制度（2026版）第三条：差旅费用须在30日内报销',
  'ＡＢＣ全角字母与１２３全角数字',
  'reorder the items; Order #42 is urgent',
  '销售部周报：本周拜访客户12家，签约3家',
  'Zoë visited 上海 and 北京 for the 汇通 roadshow',
  '日本語のテキストも検索できる',
  '𠮷野家的午餐（扩展区汉字）',
  '',
  '合',
];

/** Every query the corpus offers: each substring of each text up to 8 characters, plus some that occur nowhere. */
function queriesOf(texts: string[]): string[] {
  const queries = new Set<string>(['合同书', 'contractor', '0043', '上海北京', 'xyz', '客户户']);
  for (const text of texts) {
    const chars = [...text];
    for (let i = 0; i < chars.length; i++) for (let n = 1; n <= 8 && i + n <= chars.length; n++) queries.add(chars.slice(i, i + n).join(''));
  }
  return [...queries];
}

describe('the search tokeniser', () => {
  it('finds every text containing the query as a substring, and confirms away the rest (recall 1, precision 1 after the substring check)', () => {
    const docs = corpus.map((text) => ({ folded: foldText(text), tokens: documentTokens(foldText(text)) }));
    let checked = 0;
    for (const query of queriesOf(corpus)) {
      const q = foldText(query);
      const tokens = queryTokens(q);
      if (tokens.length === 0) continue; // Only separators: the API refuses such a query.
      for (const doc of docs) {
        const candidate = tokens.every((t) => doc.tokens.has(t));
        const contains = doc.folded.includes(q);
        // No text containing the query is dropped by the index.
        if (contains && !candidate) throw new Error(`missed ${JSON.stringify(query)} in ${JSON.stringify(doc.folded)}`);
        expect(candidate && doc.folded.includes(q)).toBe(contains);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('indexes Chinese as characters and overlapping pairs, other scripts as characters, pairs and triples of lower-cased words', () => {
    expect([...documentTokens(foldText('合同编号'))].sort()).toEqual(['号', '合', '合同', '同', '同编', '编', '编号'].sort());
    expect([...documentTokens(foldText('SO-42'))].sort()).toEqual(['2', '4', '42', 'o', 's', 'so'].sort());
    expect(documentTokens(foldText('Order'))).toEqual(new Set(['o', 'r', 'd', 'e', 'or', 'rd', 'de', 'er', 'ord', 'rde', 'der']));
    expect(documentTokens(foldText('，。 ;!'))).toEqual(new Set());
  });

  it('asks a one-character query for the character, a Chinese query for its pairs, a word for its triples', () => {
    expect(queryTokens(foldText('合'))).toEqual(['合']);
    expect(queryTokens(foldText('合同'))).toEqual(['合同']);
    expect(queryTokens(foldText('框架合同'))).toEqual(['框架', '架合', '合同']);
    expect(queryTokens(foldText('Contract'))).toEqual(['con', 'ont', 'ntr', 'tra', 'rac', 'act']);
    expect(queryTokens(foldText('SO-0042'))).toEqual(['so', '004', '042']);
    expect(queryTokens(foldText('合同HT'))).toEqual(['合同', 'ht']);
    expect(queryTokens(foldText('  ，。'))).toEqual([]);
  });

  it('folds full-width forms and case, keeping offsets into the original', () => {
    expect(foldText('ＡＢＣ１２３')).toBe('abc123');
    expect(foldText('Zoë')).toBe('zoë');
    const f = fold('𠮷A');
    expect(f.text).toBe('𠮷a');
    expect(f.offsets).toEqual([0, 0, 2, 3]);
    expect(occurrences('合同合同 合', '合同')).toEqual([[0, 2], [2, 4]]);
  });

  it('cuts a snippet around the first match and marks every match in it, in the original text', () => {
    const s = snippetOf('请把ＡＢＣ合同发给客户\n合同', 'abc合同');
    expect(s).toEqual({ text: '请把ＡＢＣ合同发给客户 合同', highlights: [[2, 7]] });
    const long = '前'.repeat(300) + '合同' + '后'.repeat(300);
    const cut = snippetOf(long, '合同', 60);
    expect(cut.text.startsWith('…') && cut.text.endsWith('…')).toBe(true);
    expect(cut.highlights).toHaveLength(1);
    const [start, end] = cut.highlights[0]!;
    expect(cut.text.slice(start, end)).toBe('合同');
    expect(snippetOf('张伟', 'zw')).toEqual({ text: '张伟', highlights: [] });
  });
});
