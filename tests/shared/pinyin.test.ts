import { describe, expect, it } from 'vitest';
import { pinyinKeys, pinyinQuery } from '../../shared/pinyin.js';

describe('pinyin keys of names', () => {
  it('give the full pinyin and initials, surnames read as surnames, Latin words as syllables', () => {
    expect(pinyinKeys('王芳')).toEqual({ full: 'wangfang', initials: 'wf' });
    expect(pinyinKeys('张伟')).toEqual({ full: 'zhangwei', initials: 'zw' });
    expect(pinyinKeys('单田芳')).toEqual({ full: 'shantianfang', initials: 'stf' });
    expect(pinyinKeys('曾国藩')).toEqual({ full: 'zengguofan', initials: 'zgf' });
    expect(pinyinKeys('吕布')).toEqual({ full: 'lvbu', initials: 'lb' });
    expect(pinyinKeys('Alice Chen')).toEqual({ full: 'alicechen', initials: 'ac' });
    expect(pinyinKeys('汇通·李2')).toEqual({ full: 'huitongli2', initials: 'htl2' });
    expect(pinyinKeys('Zoë')).toEqual({ full: 'zoe', initials: 'z' });
  });

  it('compare with queries as typed, separators and case aside', () => {
    expect(pinyinQuery("Wang Fang")).toBe('wangfang');
    expect(pinyinQuery("xi'an")).toBe('xian');
    expect(pinyinQuery('王芳')).toBe('');
  });
});
