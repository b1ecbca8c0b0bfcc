/**
 * Each feature's messages, kept beside its code in `features/<feature>/messages.ts` (made with
 * `featureMessages` from ./featureMessages) and joined into the two dictionaries here: a new feature
 * adds one import and one entry to each list below, so features never edit the same lines of the
 * platform's dictionaries (zh-CN.ts, en.ts). Keys start with the feature's name (`reports.…`).
 */
import { announcementMessages } from '../features/announcements/messages';
import { annotationsMessages } from '../features/annotations/messages';
import { boardsMessages } from '../features/boards/messages';
import { mobileMessages } from '../features/mobile/messages';
import { pushMessages } from '../features/push/messages';
import { reportsMessages } from '../features/reports/messages';
import { filesMessages } from '../features/files/messages';
import { operationsMessages } from '../features/operations/messages';
import { workbenchMessages } from '../features/workbench/messages';
import { searchMessages } from '../features/search/messages';

export const featureMessagesZh = {
  ...announcementMessages.zh,
  ...annotationsMessages.zh,
  ...boardsMessages.zh,
  ...mobileMessages.zh,
  ...pushMessages.zh,
  ...reportsMessages.zh,
  ...filesMessages.zh,
  ...operationsMessages.zh,
  ...workbenchMessages.zh,
  ...searchMessages.zh,
};

export const featureMessagesEn = {
  ...announcementMessages.en,
  ...annotationsMessages.en,
  ...boardsMessages.en,
  ...mobileMessages.en,
  ...pushMessages.en,
  ...reportsMessages.en,
  ...filesMessages.en,
  ...operationsMessages.en,
  ...workbenchMessages.en,
  ...searchMessages.en,
};
