import { featureMessages } from '../../i18n/featureMessages';

/** The work reports' messages (日报 / 周报 / 月报, inbox, status, templates, rules, calendar), zh-CN and en. */
export const reportsMessages = featureMessages(
  {
    'reports.source.rule': '{kind}规则（{department}）的{stage}',
    'reports.source.org': '全公司',
    'reports.source.before': '提交提醒',
    'reports.source.after': '缺交提醒',
    'reports.kind.daily': '日报',
    'reports.kind.weekly': '周报',
    'reports.kind.monthly': '月报',
  },
  {
    'reports.source.rule': '{stage} of the {kind} rule ({department})',
    'reports.source.org': 'whole organisation',
    'reports.source.before': 'Reminder to submit',
    'reports.source.after': 'Missing-report reminder',
    'reports.kind.daily': 'Daily report',
    'reports.kind.weekly': 'Weekly report',
    'reports.kind.monthly': 'Monthly report',
  },
);
