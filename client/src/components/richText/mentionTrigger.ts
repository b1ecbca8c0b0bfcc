/**
 * When typing opens the @ picker. Chinese text has no spaces: "签下华信。@王" and "请＠wf" must
 * open it, while "name@example.com" must not. So `@` or the full-width `＠` opens the picker after
 * anything but an ASCII letter or digit (a CJK character, full-width punctuation, a space, the
 * start of the text), and the query is what follows up to the caret: no spaces, no punctuation,
 * at most MAX_MENTION_QUERY characters.
 */

/** What Lexical's typeahead needs: where the `@…` starts, the query, and the text to replace. */
export type MentionTriggerMatch = { leadOffset: number; matchingString: string; replaceableString: string };

export const MAX_MENTION_QUERY = 30;

// Ends a query: whitespace, ASCII and full-width / CJK punctuation, and another @.
const STOP = String.raw`\s@＠.,;:!?'"()\[\]{}<>/\\|~\`^=+*&%$#，。、；：！？“”‘’（）【】《》〈〉「」『』…—～·`;
const TRIGGER = new RegExp(String.raw`(^|[^A-Za-z0-9])([@＠]([^${STOP}]{0,${MAX_MENTION_QUERY}}))$`);

/** The mention being typed at the end of `textBeforeCaret`, or null when there is none. */
export function mentionTriggerMatch(textBeforeCaret: string): MentionTriggerMatch | null {
  const match = TRIGGER.exec(textBeforeCaret);
  if (!match) return null;
  const replaceableString = match[2];
  return { leadOffset: match.index + match[1].length, matchingString: match[3], replaceableString };
}
