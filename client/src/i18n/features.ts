/**
 * Each feature's messages, kept beside its code in `features/<feature>/messages.ts` (made with
 * `featureMessages` from ./featureMessages) and joined into the two dictionaries here: a new feature
 * adds one import and one entry to each list below, so features never edit the same lines of the
 * platform's dictionaries (zh-CN.ts, en.ts). Keys start with the feature's name (`reports.…`).
 */
import { boardsMessages } from '../features/boards/messages';

export const featureMessagesZh = {
  ...boardsMessages.zh,
};

export const featureMessagesEn = {
  ...boardsMessages.en,
};
