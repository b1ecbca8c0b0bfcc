/**
 * Pinyin keys of names, the one place they are made: people (users.name_pinyin / name_initials,
 * written whenever a user is created or renamed) and, later, customers and search use the same
 * keys, so "wf", "wangfang" and "wang" find 王芳 wherever people are looked up.
 *
 * Server-side only in practice: pinyin-pro carries a dictionary of a few hundred kilobytes, which
 * the web client does not load (the client asks the server, which matches on the stored keys).
 */
import { pinyin } from 'pinyin-pro';

/** A name's keys: its full pinyin without tones or spaces ("wangfang") and the initials ("wf"). */
export type PinyinKeys = { full: string; initials: string };

/** The longest key stored (a 100-character name of Latin words stays within it). */
export const MAX_PINYIN_KEY_LENGTH = 600;

/**
 * The keys of a name. Chinese characters give their reading, the surname read as a surname
 * (单 shan, 曾 zeng, 长孙 zhangsun) and ü typed as v (吕 lv); Latin words and digits count as
 * syllables of their own, without accents ("Alice Chen" → "alicechen", "ac"; "Zoë" → "zoe");
 * everything else is dropped.
 */
export function pinyinKeys(name: string): PinyinKeys {
  // nonZh 'consecutive' returns each run of other characters as one chunk, beside one chunk per Chinese character.
  const chunks = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', surname: 'head', v: true });
  const syllables = chunks.flatMap((chunk) => latin(chunk).match(/[a-z0-9]+/g) ?? []);
  return {
    full: syllables.join('').slice(0, MAX_PINYIN_KEY_LENGTH),
    initials: syllables.map((s) => s[0]).join('').slice(0, MAX_PINYIN_KEY_LENGTH),
  };
}

/**
 * A query as the keys are compared with it: lower case, without the spaces, apostrophes and
 * separators people type between syllables ("wang fang", "xi'an"), without accents. Empty when the query
 * has no Latin letter or digit (a query in characters is matched against the name itself).
 */
export function pinyinQuery(query: string): string {
  return latin(query).replace(/[^a-z0-9]/g, '');
}

/** Lower case without accents: "Zoë" → "zoe". */
const latin = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
