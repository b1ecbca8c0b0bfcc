import type { EntryKind, PlanPeriod } from '../../../shared/schedule.js';
import { StoryCalendar } from './calendar.js';
import { customerCatalogue, type DemoCustomer } from './customerCatalogue.js';
import { customerTextValues, neglectedCustomers } from './customerStory.js';
import { demoCommands as run } from './commands.js';
import { roles } from './company.js';
import type { DemoRandom } from './random.js';
import { annotationReplies, annotations, entryDescriptions, entryTitles, fill, monthPlan, results, weekPlan } from './texts.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/** One entry of the story: what its owner types into the entry editor, and its id once created. */
type PlannedEntry = {
  owner: string;
  kind: EntryKind;
  title: string;
  description: string;
  day: number;
  start: string;
  end: string;
  /** All-day entries span `days` days from `day`. */
  allDay?: { days: number };
  planPeriod?: PlanPeriod;
  customer?: DemoCustomer;
  contact?: string;
  shared?: boolean;
  rrule?: string;
  reminderOffsets?: number[];
  /** Which results the entry's kind of work produces. */
  resultKind: keyof typeof results;
  id?: string;
};

const SLOTS = [
  { start: '09:00', long: '10:30' },
  { start: '10:30', long: '12:00' },
  { start: '14:00', long: '15:30' },
  { start: '15:30', long: '16:30' },
  { start: '16:30', long: '17:30' },
];
const addMinutes = (hhmm: string, minutes: number) => {
  const total = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Whether a weekly series has an occurrence on a weekday (1 Monday … 7 Sunday). */
const recursOn = (entry: PlannedEntry, weekday: number) => /FREQ=WEEKLY/.test(entry.rrule ?? '') && (/BYDAY=([A-Z,]+)/.exec(entry.rrule!)?.[1] ?? '').split(',').includes(WEEKDAY_CODES[weekday - 1]);

/** Customers a person works with: their own for sales and marketing, the valuable end customers for service. */
function customersOf(login: string): DemoCustomer[] {
  if (roles.service.includes(login)) return customerCatalogue.filter((c) => c.type === 'end_customer' && (c.tier === 'platinum' || c.tier === 'gold' || c.tier === 'silver'));
  const team = roles.team[login] ?? [];
  return customerCatalogue.filter((c) => c.type !== 'competitor' && c.contacts.length && c.owners.some((o) => o === login || team.includes(o)));
}

/**
 * Four weeks of the sales and service staff's schedules around today (two weeks back, two ahead):
 * visits, calls, meetings and tasks with customers and their contacts, week, month, quarter and
 * year plans, recurring meetings and calls; planned the Friday before (some the day before), with
 * results on most past ones, some cancelled, some left open, and superiors' annotations with the
 * owners' replies.
 */
export function planSchedule(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): DayPlans {
  const entries: PlannedEntry[] = [];
  const series = recurring(calendar);
  const people = [...roles.sales, ...roles.service, ...roles.marketing];
  for (const login of people) {
    const pool = customersOf(login);
    for (let day = -14; day <= 13; day++) {
      const workday = calendar.isWorkday(day);
      const wanted = day === 0 && workday ? 2 : !workday ? (random.chance(0.12) ? 1 : 0) : roles.marketing.includes(login) ? random.int(0, 1) : roles.service.includes(login) ? random.int(1, 2) : random.int(1, 3);
      // Not over the person's recurring meetings, and each customer at most once a day.
      const free = SLOTS.filter((slot) => !series.some((r) => r.owner === login && recursOn(r, calendar.weekday(day)) && slot.start < r.end && slot.long > r.start));
      const seen = new Set<string>();
      for (const slot of random.sample(free, wanted)) {
        const entry = dayEntry(login, day, slot, pool.filter((c) => !seen.has(c.key)), random, workday);
        if (entry.customer) seen.add(entry.customer.key);
        entries.push(entry);
      }
    }
  }
  entries.push(...plans(calendar, random), ...series);

  for (const entry of entries) planEntryLife(timeline, world, calendar, random, entry);
  return (login, day) => entries.filter((e) => e.owner === login && e.day === day && !e.allDay && !e.rrule).sort((a, b) => a.start.localeCompare(b.start));
}

/** A person's timed entries of one day, by start: what they tell the team in the morning. */
export type DayPlans = (login: string, day: number) => { start: string; title: string }[];

function dayEntry(login: string, day: number, slot: (typeof SLOTS)[number], pool: DemoCustomer[], random: DemoRandom, workday: boolean): PlannedEntry {
  const service = roles.service.includes(login);
  const marketing = roles.marketing.includes(login);
  const roll = random.next();
  const kind: EntryKind = !workday || !pool.length ? 'task' : service ? (roll < 0.6 ? 'visit' : roll < 0.8 ? 'call' : 'task') : marketing ? (roll < 0.5 ? 'meeting' : 'task') : roll < 0.35 ? 'visit' : roll < 0.65 ? 'call' : roll < 0.85 ? 'task' : 'meeting';
  const internal = kind === 'task' && (service || !workday || random.chance(0.4) || !pool.length);
  const customer = internal ? undefined : random.pick(pool);
  const contact = customer?.contacts.length ? random.pick(customer.contacts) : undefined;
  const values = customer ? customerTextValues(customer, random, contact) : {};
  const titles = internal ? entryTitles.internal : service ? (kind === 'call' ? entryTitles.serviceCall : entryTitles.service) : entryTitles[kind as 'visit' | 'call' | 'meeting' | 'task'];
  const minutes = kind === 'call' ? 30 : kind === 'visit' ? 90 : 60;
  const end = kind === 'visit' ? slot.long : addMinutes(slot.start, minutes);
  return {
    owner: login, kind, day, start: slot.start, end, customer, contact: contact?.name,
    title: fill(random.pick(titles), values),
    description: customer ? fill(random.pick(entryDescriptions), values) : '',
    shared: random.chance(0.2),
    reminderOffsets: kind === 'visit' ? random.pick([[60], [1440, 60], []]) : kind === 'call' || kind === 'meeting' ? random.pick([[15], [], [10]]) : [],
    resultKind: internal ? 'internal' : service && kind !== 'task' ? 'service' : (kind as 'visit' | 'call' | 'meeting' | 'task'),
  };
}

/** Week plans of the salespeople and the after-sales manager; month, quarter and year plans of the managers; today's focus. */
function plans(calendar: StoryCalendar, random: DemoRandom): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  const focusOf = (login: string) => customersOf(login).filter((c) => c.tier === 'platinum' || c.tier === 'gold' || c.prospectClass === 'A').map((c) => c.short);
  for (const login of [...roles.sales, 'xuhui']) {
    for (let week = -2; calendar.monday(week) <= 13; week++) {
      const monday = calendar.monday(week);
      const focus = random.sample(focusOf(login), 2).join('、') || '重点客户';
      const values = { week: calendar.weekNumber(monday), focus, n: random.int(5, 9), amount: random.int(15, 60) };
      out.push({
        owner: login, kind: 'task', title: fill(weekPlan.title, values), description: fill(weekPlan.description, values), day: monday, start: '00:00', end: '00:00',
        allDay: { days: 7 }, planPeriod: 'week', resultKind: 'internal',
      });
    }
  }
  for (const login of ['wangfang', 'lina', 'xuhui']) {
    for (const months of [-1, 0]) {
      const first = calendar.monthStart(months);
      const values = { month: calendar.date(first).month, amount: login === 'xuhui' ? 0 : random.int(120, 260), focus: random.sample(focusOf(login), 2).join('、') || '售后满意度' };
      out.push({
        owner: login, kind: 'task', title: fill(monthPlan.title, values), description: login === 'xuhui' ? '售后响应时间不超过 4 小时；完成所有铂金客户的季度巡检。' : fill(monthPlan.description, values),
        day: first, start: '00:00', end: '00:00', allDay: { days: calendar.monthStart(months + 1) - first }, planPeriod: 'month', resultKind: 'internal',
      });
    }
  }
  const quarterFirst = calendar.monthStart(-((calendar.today.month - 1) % 3));
  out.push({
    owner: 'liuyang', kind: 'task', title: `${calendar.today.year} 年第 ${Math.floor((calendar.today.month - 1) / 3) + 1} 季度销售中心目标`, description: '回款 1200 万元；新签铂金、黄金客户各 1 家；渠道出货同比增长 15%。',
    day: quarterFirst, start: '00:00', end: '00:00', allDay: { days: calendar.monthStart(-((calendar.today.month - 1) % 3) + 3) - quarterFirst }, planPeriod: 'quarter', resultKind: 'internal',
  });
  const yearFirst = calendar.offsetOf(calendar.today.with({ month: 1, day: 1 }));
  out.push({
    owner: 'zhangwei', kind: 'task', title: `${calendar.today.year} 年度经营目标`, description: '销售额 1.2 亿元，毛利率不低于 18%；华南新设办事处；客户满意度 95% 以上。',
    day: yearFirst, start: '00:00', end: '00:00', allDay: { days: calendar.offsetOf(calendar.today.with({ month: 1, day: 1 }).add({ years: 1 })) - yearFirst }, planPeriod: 'year', resultKind: 'internal',
  });
  let focusDay = 0;
  while (!calendar.isWorkday(focusDay)) focusDay += 1;
  out.push({ owner: 'chenjing', kind: 'task', title: '今日重点：华信报价定稿、天诚技术评审准备', description: '', day: focusDay, start: '00:00', end: '00:00', allDay: { days: 1 }, planPeriod: 'day', resultKind: 'internal' });
  return out;
}

/** Recurring meetings of three departments, a monthly review, and a weekly call with the most valuable customer. */
function recurring(calendar: StoryCalendar): PlannedEntry[] {
  const huaxin = customerCatalogue.find((c) => c.key === 'huaxin')!;
  let firstMonday = calendar.monthStart(-3);
  while (calendar.weekday(firstMonday) !== 1) firstMonday += 1;
  return [
    { owner: 'wangfang', kind: 'meeting', title: '华东销售部周例会', description: '各人汇报上周业绩和本周计划，讨论重点项目。', day: calendar.monday(-8), start: '09:30', end: '10:30', shared: true, rrule: 'FREQ=WEEKLY;BYDAY=MO', reminderOffsets: [15], resultKind: 'meeting' },
    { owner: 'xuhui', kind: 'meeting', title: '售后服务部晨会', description: '', day: calendar.monday(-6), start: '08:45', end: '09:00', shared: true, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', resultKind: 'internal' },
    { owner: 'lina', kind: 'meeting', title: '华南销售部周五复盘', description: '复盘本周拜访和报价，下周重点。', day: calendar.monday(-6) + 4, start: '16:30', end: '17:30', shared: true, rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=12', resultKind: 'meeting' },
    { owner: 'liuyang', kind: 'meeting', title: '销售中心月度经营分析会', description: '各部门回款、毛利、重点项目进度。', day: firstMonday, start: '14:00', end: '16:00', rrule: 'FREQ=MONTHLY;BYDAY=1MO', resultKind: 'meeting' },
    {
      owner: 'chenjing', kind: 'call', title: '华信周二例行电话沟通', description: '和李总监同步二号产线改造进度。', day: calendar.monday(-5) + 1, start: '10:00', end: '10:30',
      customer: huaxin, contact: '李明', rrule: 'FREQ=WEEKLY;BYDAY=TU', reminderOffsets: [10], resultKind: 'call',
    },
  ];
}

/** When an entry was typed in: the Friday before its week, some the working day before; never later than the last working day's evening. */
function createdAt(calendar: StoryCalendar, timeline: Timeline, random: DemoRandom, entry: PlannedEntry): Date {
  const latest = StoryCalendar.plus(calendar.at(calendar.workdayOnOrBefore(-1), '17:30'), random.int(0, 25));
  let planned: Date;
  if (entry.rrule || entry.planPeriod === 'month' || entry.planPeriod === 'quarter' || entry.planPeriod === 'year') planned = calendar.at(entry.day - random.int(1, 3), '16:00');
  else if (entry.planPeriod === 'day') planned = calendar.at(entry.day, '08:20');
  else if (random.chance(0.25) && !entry.allDay) planned = calendar.at(calendar.workdayOnOrBefore(entry.day - 1), `17:${String(random.int(10, 55)).padStart(2, '0')}`);
  else {
    let friday = entry.day - ((calendar.weekday(entry.day) + 2) % 7 || 7);
    if (entry.allDay) friday = entry.day - 3;
    planned = calendar.at(friday, `16:${String(random.int(0, 11) * 5).padStart(2, '0')}`);
  }
  return planned.getTime() < Math.min(latest.getTime(), timeline.end.getTime()) ? planned : latest;
}

function planEntryLife(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, entry: PlannedEntry): void {
  const created = createdAt(calendar, timeline, random, entry);
  timeline.add(created, `entry ${entry.title}`, async (s) => {
    const customer = entry.customer ? world.customer(entry.customer.key) : null;
    const saved = await run.createEntry(s, world.user(entry.owner), {
      kind: entry.kind, title: entry.title, description: entry.description ? world.rich(entry.description) : null,
      start: calendar.local(entry.day, entry.start), end: entry.allDay ? calendar.local(entry.day + entry.allDay.days, '00:00') : calendar.local(entry.day, entry.end),
      allDay: !!entry.allDay, planPeriod: entry.planPeriod ?? null, customerId: customer?.id ?? null,
      contactIds: customer && entry.contact ? [customer.contacts.get(entry.contact)!] : [], shared: !!entry.shared,
      rrule: entry.rrule ?? null, exdates: [], reminderOffsets: entry.reminderOffsets ?? [],
    });
    entry.id = saved.id;
  });
  if (entry.rrule) return planOccurrenceResult(timeline, world, calendar, random, entry);

  const ends = entry.allDay ? calendar.at(entry.day + entry.allDay.days, '00:00') : calendar.at(entry.day, entry.end);
  // Plans of the current period stay open; others end done, cancelled or, now and then, forgotten.
  if (entry.planPeriod === 'quarter' || entry.planPeriod === 'year' || entry.planPeriod === 'day') return;
  const roll = random.next();
  const resultAt = entry.allDay ? calendar.at(entry.day + entry.allDay.days - (entry.planPeriod === 'week' ? 3 : 1), '17:50') : StoryCalendar.plus(ends, random.int(10, 90));
  if (roll < 0.78) {
    if (resultAt.getTime() >= timeline.end.getTime() || resultAt <= created) return;
    const values = { ...(entry.customer ? customerTextValues(entry.customer, random, entry.customer.contacts.find((c) => c.name === entry.contact)) : {}), n: random.int(3, 9), amount: random.int(5, 80) };
    const text = entry.planPeriod === 'week' ? fill(weekPlan.result, { ...values, focus: entry.title }) : fill(random.pick(results[entry.resultKind]), values);
    // A valuable customer nobody contacted for a month has no done visits either.
    if (entry.customer && neglectedCustomers.has(entry.customer.key) && entry.kind !== 'task') return;
    timeline.add(resultAt, `result of ${entry.title}`, async (s) => {
      await run.recordResult(s, world.user(entry.owner), entry.id!, world.rich(text));
    });
    planAnnotation(timeline, world, calendar, random, entry, resultAt);
  } else if (roll < 0.9 && !entry.allDay) {
    const cancelledAt = StoryCalendar.plus(calendar.at(entry.day, entry.start), -random.int(60, 1200));
    if (cancelledAt <= created || cancelledAt.getTime() >= timeline.end.getTime()) return;
    timeline.add(cancelledAt, `cancel ${entry.title}`, async (s) => {
      await run.setEntryStatus(s, world.user(entry.owner), entry.id!, 'cancelled');
    });
  }
}

/** A superior reads the result and now and then annotates it; the owner sometimes answers. */
function planAnnotation(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, entry: PlannedEntry, resultAt: Date): void {
  const superior = roles.manager[entry.owner];
  if (!superior || !random.chance(entry.customer ? 0.3 : 0.1)) return;
  const annotatedAt = calendar.workingMoment(StoryCalendar.plus(resultAt, random.int(40, 900)));
  const text = random.pick(annotations);
  const reply = random.chance(0.4) ? random.pick(annotationReplies) : null;
  const repliedAt = calendar.workingMoment(StoryCalendar.plus(annotatedAt, random.int(20, 240)));
  const annotation: { id?: string } = {};
  const added = timeline.addIfPast(annotatedAt, `annotation on ${entry.title}`, async (s) => {
    annotation.id = (await run.annotate(s, world.user(superior), entry.id!, world.rich(text))).id;
  });
  if (added && reply) {
    timeline.addIfPast(repliedAt, `reply on ${entry.title}`, async (s) => {
      await run.replyToAnnotation(s, world.user(entry.owner), annotation.id!, world.rich(reply));
    });
  }
}

/** Last week's occurrence of a recurring meeting or call becomes an entry of its own with its result. */
function planOccurrenceResult(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, entry: PlannedEntry): void {
  if (entry.resultKind === 'internal' || entry.rrule!.includes('MONTHLY')) return;
  const weekday = calendar.weekday(entry.day);
  const day = calendar.monday(-1) + weekday - 1;
  const occurrenceStart = calendar.at(day, entry.start);
  const resultAt = StoryCalendar.plus(calendar.at(day, entry.end), random.int(5, 40));
  const values = entry.customer ? customerTextValues(entry.customer, random, entry.customer.contacts.find((c) => c.name === entry.contact)) : { n: 5, amount: 30 };
  const text = entry.kind === 'meeting' ? '会议纪要：\n1. 上周回款完成率 82%，本周继续跟进逾期款项\n2. 天诚新能源、瑞康生物两个新项目重点推进\n3. 周三前每人提交重点客户跟进计划' : fill(random.pick(results.call), values);
  timeline.add(resultAt, `result of ${entry.title} last week`, async (s) => {
    const owner = world.user(entry.owner);
    const occurrence = await run.detachOccurrence(s, owner, entry.id!, occurrenceStart);
    await run.recordResult(s, owner, occurrence.id, world.rich(text));
  });
}
