import type { ReminderChannel } from '../../entities/Reminder.js';
import { compileSchedule } from '../../recurrence/expand.js';
import { DEMO_ZONE, StoryCalendar } from './calendar.js';
import { demoCommands as run } from './commands.js';
import type { DemoRandom } from './random.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

type DemoReminder = {
  owner: string;
  title: string;
  note?: string;
  /** Day and time of the first occurrence; a one-off reminder's only one. */
  day: number;
  time: string;
  rrule?: string;
  exdates?: { day: number; time: string }[];
  channels: ReminderChannel[];
  urgent?: boolean;
  /** Departments (by name) it also goes to. */
  departments?: string[];
  createdDaysAgo: number;
  pausedDaysAgo?: number;
  id?: string;
};

/** The earliest of `days` (1 Monday … 7 Sunday) on or after an offset. */
function firstWeekday(calendar: StoryCalendar, from: number, days: number[]): number {
  let offset = from;
  while (!days.includes(calendar.weekday(offset))) offset += 1;
  return offset;
}

/**
 * One-off and recurring reminders of the staff: daily work logs, weekly team reminders to a whole
 * department, monthly and yearly ones, one paused, a holiday excepted, and one-offs due later
 * today (when the day has time left) and in the coming days. Recurring ones fired through the
 * reminder firer on their past occurrences, so their notifications and delivery logs exist.
 */
export function planReminders(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  // Later today, at least half an hour from now; after 21:00 the "today" ones fall on tomorrow morning.
  const soon = ['10:00', '11:30', '14:00', '15:30', '16:30', '17:45', '20:00', '21:30'].filter((t) => calendar.at(0, t).getTime() > calendar.now.getTime() + 30 * 60_000).map((time) => ({ day: 0, time }));
  const later = [...soon, { day: 1, time: '09:30' }, { day: 1, time: '10:30' }, { day: 1, time: '14:00' }];
  const workdayMonday = calendar.monday(-3);
  const monthEnd = calendar.monthStart(-2) - 1;
  const renewal = calendar.date(40);
  const guoyanLeave = firstWeekday(calendar, 1, [2]);

  const reminders: DemoReminder[] = [
    { owner: 'chenjing', title: '填写今日工作日志', note: '把今天的拜访和电话结果录入日程，明天的计划也排好。', day: firstWeekday(calendar, -20, [1, 2, 3, 4, 5]), time: '17:30', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', channels: ['email'], createdDaysAgo: 21 },
    { owner: 'chenjing', title: '给华信李总监回电话，确认合同盖章', day: later[0].day, time: later[0].time, channels: ['email', 'sms'], createdDaysAgo: 1 },
    { owner: 'wangfang', title: '检查团队本周计划', day: workdayMonday, time: '09:00', rrule: 'FREQ=WEEKLY;BYDAY=MO', channels: ['email'], createdDaysAgo: 22 },
    { owner: 'wangfang', title: '本周周报今天 17:00 前提交', note: '周报写清楚本周拜访、报价、回款和下周计划。', day: firstWeekday(calendar, -30, [5]), time: '16:00', rrule: 'FREQ=WEEKLY;BYDAY=FR', channels: ['email'], departments: ['华东销售部'], createdDaysAgo: 31 },
    { owner: 'wangfang', title: '核对本月回款', day: monthEnd, time: '15:00', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', channels: ['email'], createdDaysAgo: 70 },
    { owner: 'xuhui', title: '铂金客户月度巡检排期', day: calendar.monthStart(-3) + 14, time: '09:00', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15', channels: ['email', 'sms'], createdDaysAgo: 100 },
    { owner: 'xuhui', title: '确认驱动板备件到货', day: later[1].day, time: later[1].time, channels: ['email'], createdDaysAgo: 2 },
    { owner: 'lina', title: '粤海电子年度合同续签', note: '提前一个月准备续签方案和新价格表。', day: calendar.offsetOf(renewal.subtract({ years: 1 })), time: '09:30', rrule: `FREQ=YEARLY;BYMONTH=${renewal.month};BYMONTHDAY=${renewal.day}`, channels: ['email'], createdDaysAgo: 200 },
    { owner: 'zhangwei', title: '季度经营会', day: calendar.monthStart(-6) + 4, time: '10:00', rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5', channels: ['email'], createdDaysAgo: 190 },
    { owner: 'sunli', title: '周三晚上健身', day: firstWeekday(calendar, -30, [3]), time: '19:00', rrule: 'FREQ=WEEKLY;BYDAY=WE', channels: ['sms'], createdDaysAgo: 30, pausedDaysAgo: 5 },
    { owner: 'zhaolei', title: '利达建材回款最后期限', note: '到期未付款的话，报王经理启动法务程序。', day: 3, time: '10:00', channels: ['email', 'sms'], urgent: true, createdDaysAgo: 7 },
    {
      owner: 'guoyan', title: '查看今日工单', day: firstWeekday(calendar, -12, [1, 2, 3, 4, 5]), time: '08:30', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      exdates: [{ day: guoyanLeave, time: '08:30' }], channels: ['email'], createdDaysAgo: 13,
    },
    { owner: 'heping', title: '带调试工具和备用驱动器去华信', day: 1, time: '07:45', channels: ['sms'], createdDaysAgo: 1 },
    { owner: 'liuyang', title: '审批本周特价申请', day: later[2].day, time: later[2].time, channels: ['email'], createdDaysAgo: 1 },
    { owner: 'maxiaoyun', title: '展会物料寄出', day: 10, time: '14:00', channels: ['email'], createdDaysAgo: 4 },
    { owner: 'linfeng', title: '公众号推文发布', day: firstWeekday(calendar, -25, [4]), time: '15:00', rrule: 'FREQ=WEEKLY;BYDAY=TH', channels: ['email'], createdDaysAgo: 26 },
  ];

  for (const reminder of reminders) {
    const createdAt = StoryCalendar.plus(calendar.at(-reminder.createdDaysAgo, '09:00'), random.int(0, 480));
    const at = createdAt.getTime() < timeline.end.getTime() ? createdAt : StoryCalendar.plus(timeline.end, -60);
    timeline.add(at, `reminder ${reminder.title}`, async (s) => {
      const created = await run.createReminder(s, world.user(reminder.owner), {
        title: reminder.title, note: reminder.note ? world.rich(reminder.note) : undefined,
        recipients: { self: true, userIds: [], departmentIds: (reminder.departments ?? []).map((name) => world.departments.get(name)!) },
        channels: reminder.channels, dtstart: calendar.local(reminder.day, reminder.time), timeZone: DEMO_ZONE,
        rrule: reminder.rrule ?? null, exdates: (reminder.exdates ?? []).map((x) => calendar.local(x.day, x.time)), urgent: reminder.urgent ?? false,
      });
      reminder.id = String(created.id);
    });
    if (!reminder.rrule) continue;
    // Its occurrences between its creation and now fired; the latest few are kept in the story.
    const endOfHistory = reminder.pausedDaysAgo ? calendar.at(-reminder.pausedDaysAgo, '09:00') : timeline.end;
    const schedule = compileSchedule({ rrule: reminder.rrule, dtstart: calendar.local(reminder.day, reminder.time), timeZone: DEMO_ZONE, exdates: (reminder.exdates ?? []).map((x) => calendar.local(x.day, x.time)) });
    const past = schedule.next(60, at).filter((due) => due.getTime() < endOfHistory.getTime()).slice(-8);
    for (const due of past) {
      timeline.add(due, `fire ${reminder.title}`, async (s) => run.fireReminder(s, reminder.id!, due));
    }
    if (reminder.pausedDaysAgo) {
      timeline.add(StoryCalendar.plus(endOfHistory, random.int(0, 300)), `pause ${reminder.title}`, async (s) => void (await run.pauseReminder(s, world.user(reminder.owner), reminder.id!)));
    }
  }
}
