/**
 * Every migration, in order. Listed explicitly (not discovered by file name) so that the
 * server, the CLI and the test runner load them through the same TypeScript loader.
 * `npm run migration:create` writes a new file here; add its class to this list.
 */
import { Migration20261123090554_initial } from './Migration20261123090554_initial.js';
import { Migration20261123091515_chat } from './Migration20261123091515_chat.js';
import { Migration20261123092155_reminders } from './Migration20261123092155_reminders.js';
import { Migration20261123102158_schedule } from './Migration20261123102158_schedule.js';
import { Migration20261130182150_master_index } from './Migration20261130182150_master_index.js';
import { Migration20261130191000_realtime_attachments } from './Migration20261130191000_realtime_attachments.js';
import { Migration20261130193000_login_rate_limits } from './Migration20261130193000_login_rate_limits.js';
import { Migration20261206084123_fanout } from './Migration20261206084123_fanout.js';
import { Migration20261206101410_boards } from './Migration20261206101410_boards.js';
import { Migration20261206101510_web_push } from './Migration20261206101510_web_push.js';
import { Migration20261206101732_reports } from './Migration20261206101732_reports.js';
import { Migration20261206102350_pinyin } from './Migration20261206102350_pinyin.js';
import { Migration20261206104905_announcements } from './Migration20261206104905_announcements.js';
import { Migration20261206113124_report_inbox } from './Migration20261206113124_report_inbox.js';
import { Migration20261206114946_feed_kinds } from './Migration20261206114946_feed_kinds.js';
import { Migration20261206115442_search } from './Migration20261206115442_search.js';
import { Migration20261206115554_operations } from './Migration20261206115554_operations.js';
import { Migration20261206115619_files } from './Migration20261206115619_files.js';
import { Migration20261206144336_backup_storage } from './Migration20261206144336_backup_storage.js';
import { Migration20261206145904_dashboard_indexes } from './Migration20261206145904_dashboard_indexes.js';
import { Migration20261206145938_board_reply_fanouts } from './Migration20261206145938_board_reply_fanouts.js';
import { Migration20261206150851_search_kind_indexes } from './Migration20261206150851_search_kind_indexes.js';
import { Migration20261206151508_report_submission_months } from './Migration20261206151508_report_submission_months.js';
import { Migration20261206173000_search_board_places } from './Migration20261206173000_search_board_places.js';
import { Migration20261206174000_search_message_tokens } from './Migration20261206174000_search_message_tokens.js';
import { Migration20261206180000_search_file_names } from './Migration20261206180000_search_file_names.js';

export const migrationsList = [Migration20261123090554_initial, Migration20261123091515_chat, Migration20261123092155_reminders, Migration20261123102158_schedule, Migration20261130182150_master_index, Migration20261130191000_realtime_attachments, Migration20261130193000_login_rate_limits, Migration20261206084123_fanout, Migration20261206101410_boards, Migration20261206101510_web_push, Migration20261206101732_reports, Migration20261206102350_pinyin, Migration20261206104905_announcements, Migration20261206113124_report_inbox, Migration20261206114946_feed_kinds, Migration20261206115442_search, Migration20261206115554_operations, Migration20261206115619_files, Migration20261206144336_backup_storage, Migration20261206145904_dashboard_indexes, Migration20261206145938_board_reply_fanouts, Migration20261206150851_search_kind_indexes, Migration20261206151508_report_submission_months, Migration20261206173000_search_board_places, Migration20261206174000_search_message_tokens, Migration20261206180000_search_file_names];
