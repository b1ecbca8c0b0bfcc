import { featureMessages } from '../../i18n/featureMessages';

/** The boards' messages (论坛). */
export const boardsMessages = featureMessages(
  {
    'boards.title': '论坛',
    'customers.feedKind.thread': '发起了讨论',
    'settings.kind.board_reply': '论坛：关注的帖子有新回复',
    'settings.kind.board_quote': '论坛：回复被引用',
    'settings.kind.board_moderation': '论坛：版主处理',
  },
  {
    'boards.title': 'Boards',
    'customers.feedKind.thread': 'started a discussion',
    'settings.kind.board_reply': 'Boards: replies in watched threads',
    'settings.kind.board_quote': 'Boards: your reply quoted',
    'settings.kind.board_moderation': 'Boards: moderation',
  },
);
