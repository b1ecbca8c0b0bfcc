import { describe, expect, it } from 'vitest';
import { mentionTriggerMatch } from '../../../client/src/components/richText/mentionTrigger.js';

describe('when typing opens the @ picker', () => {
  it('after Chinese punctuation, a CJK character, a space or at the start, with @ or ＠', () => {
    expect(mentionTriggerMatch('各位，本周目标：签下华信。@王')).toEqual({ leadOffset: 13, matchingString: '王', replaceableString: '@王' });
    expect(mentionTriggerMatch('请＠wf')).toEqual({ leadOffset: 1, matchingString: 'wf', replaceableString: '＠wf' });
    expect(mentionTriggerMatch('@')).toEqual({ leadOffset: 0, matchingString: '', replaceableString: '@' });
    expect(mentionTriggerMatch('hi @bob')).toMatchObject({ leadOffset: 3, matchingString: 'bob' });
    expect(mentionTriggerMatch('（@李')).toMatchObject({ leadOffset: 1, matchingString: '李' });
  });

  it('never inside an address or after the query ended', () => {
    expect(mentionTriggerMatch('name@example.com')).toBeNull();
    expect(mentionTriggerMatch('name@')).toBeNull();
    expect(mentionTriggerMatch('9@')).toBeNull();
    expect(mentionTriggerMatch('@王芳，')).toBeNull();
    expect(mentionTriggerMatch('@王 芳')).toBeNull();
    expect(mentionTriggerMatch('@' + 'a'.repeat(31))).toBeNull();
  });
});
