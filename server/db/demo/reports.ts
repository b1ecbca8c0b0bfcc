import type { ReportDTO } from '../../../shared/reports.js';
import { StoryCalendar } from './calendar.js';
import { demoCommands as run } from './commands.js';
import { roles } from './company.js';
import type { DemoRandom } from './random.js';
import type { StepContext, Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

const helpLines = [
  '需要技术部支持一次现场调试，客户希望下周二前完成。',
  '华信的框架合同需要法务尽快审核。',
  '特价申请已提交，请刘总帮忙加快审批。',
  '备件库存不足，需要采购提前下单。',
  '客户要求提供第三方检测报告，请市场部协助准备。',
];
const customerLines = [
  '华信二号产线改造进入调试阶段，李总监对进度满意。',
  '天诚新能源技术评审通过，等待商务报价。',
  '瑞康生物对交期有疑虑，已约下周再沟通。',
  '粤海电子有续签意向，需准备新价格表。',
];
const passageRemarks = ['这个进展很好，把合同扫描件发我一份。', '这里说的数字和上周的不一致，核对一下。', '注意跟进付款条件，别再拖到月底。', '客户的顾虑要在报价里回应。'];
const wholeRemarks = ['今天效率不错，明天的计划再具体一些。', '已阅。需要协调的事项我来安排。', '客户拜访记录写得清楚，继续保持。'];
const replies = ['好的，马上处理。', '收到，已经核对过了，是上周的数字写错了。', '明白，明天上午就去跟进。'];

/** Today's date string `offset` days away, as the report endpoints take it. */
const dateOf = (calendar: StoryCalendar, offset: number) => calendar.date(offset).toString();

/**
 * A passage of the "done" section marked the way the web client marks a reader's selection: the
 * text after the first "：" of a list item (a result the author recorded), in a mark with `markId`.
 */
function markResult(doc: Record<string, unknown>, markId: string): Record<string, unknown> | null {
  const copy = structuredClone(doc) as { root: { children: { type: string; children?: { type: string; children?: { type: string; text?: string }[] }[] }[] } };
  for (const block of copy.root.children) {
    for (const item of block.children ?? []) {
      const parts = item.children ?? [];
      const i = parts.findIndex((p) => p.type === 'text' && (p.text ?? '').includes('：') && (p.text ?? '').split('：')[1].length >= 6);
      if (i < 0) continue;
      const text = parts[i].text!;
      const at = text.indexOf('：') + 1;
      const piece = (value: string) => ({ ...parts[i], text: value });
      parts.splice(i, 1, piece(text.slice(0, at)), { type: 'mark', version: 1, direction: null, format: '', indent: 0, ids: [markId], children: [piece(text.slice(at))] } as never);
      return copy;
    }
  }
  return null;
}

/**
 * Work reports: the company's rules (daily reports by 18:00 with a reminder at 17:30 on weekdays, a
 * second reminder and the head's digest after the deadline; weekly reports by Friday 18:00), the
 * after-sales department's own template, a company day off ahead; the field staff's daily reports
 * of the last two weeks drafted from their schedules (some late, a few missing, one copied to a
 * colleague in another department) and last week's weekly reports; their heads reading them the next
 * morning, annotating passages and whole reports, and the authors answering.
 */
export function planReports(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  timeline.add(calendar.at(-20, '10:00'), 'report rules and the after-sales template', async (s) => {
    const boss = world.user('zhangwei');
    const company = world.departments.get('汇通贸易有限公司')!;
    await run.saveReportRule(s, boss, {
      kind: 'daily', departmentId: company, required: true, deadlineDay: 0, deadlineTime: '18:00', remindRrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', remindTime: '17:30',
      lateReminder: true, headDigest: true, lateTime: '19:30', channels: ['email'],
    });
    await run.saveReportRule(s, boss, {
      kind: 'weekly', departmentId: company, required: true, deadlineDay: 5, deadlineTime: '18:00', remindRrule: 'FREQ=WEEKLY;BYDAY=FR', remindTime: '16:00',
      lateReminder: false, headDigest: false, lateTime: '19:00', channels: ['email'],
    });
    // Monthly reports are for the managers' own reviews: not required of the staff.
    await run.saveReportRule(s, boss, { kind: 'monthly', departmentId: company, required: false, deadlineDay: 0, deadlineTime: '18:00', remindRrule: null, remindTime: null, lateReminder: false, headDigest: false, lateTime: '19:00', channels: ['email'] });
    await run.createReportTemplate(s, world.user('huangmin'), {
      name: '售后服务日报', kinds: ['daily'], departmentIds: [world.departments.get('客户服务中心')!],
      sections: [
        { key: 'done', title: '今日处理', titleEn: 'Handled today', required: true, fill: 'done' },
        { key: 'feedback', title: '客户反馈', titleEn: 'Customer feedback', required: false, fill: null },
        { key: 'plan', title: '明日安排', titleEn: 'Plan for tomorrow', required: true, fill: 'plan' },
      ],
    });
    let dayOff = 16;
    while (!calendar.isWorkday(dayOff)) dayOff += 1;
    await run.setHoliday(s, dateOf(calendar, dayOff), 'holiday', '公司年度团建日');
  });

  const writers = [...roles.sales, ...roles.service, ...roles.marketing];
  for (const login of writers) {
    for (let day = -11; day <= 0; day++) {
      if (!calendar.isWorkday(day) || random.chance(0.08)) continue;
      const late = random.chance(0.12);
      const at = late ? calendar.at(day + (calendar.weekday(day) === 5 ? 3 : 1), `08:${String(random.int(10, 50))}`) : StoryCalendar.plus(calendar.at(day, '18:05'), random.int(0, 80));
      const extras = { help: random.chance(0.3) ? random.pick(helpLines) : null, customers: random.chance(0.4) ? random.pick(customerLines) : null, cc: login === 'chenjing' && day === -3 ? 'heping' : null };
      const reader = roles.manager[login];
      const reading = reader && random.chance(0.85) ? { at: calendar.workingMoment(StoryCalendar.plus(at, random.int(60, 900))), passage: random.chance(0.25), whole: random.chance(0.15) } : null;
      const remark = { passage: random.pick(passageRemarks), whole: random.pick(wholeRemarks), reply: random.chance(0.5) ? random.pick(replies) : null, resolve: random.chance(0.5) };
      const report: { dto?: ReportDTO } = {};
      const written = timeline.addIfPast(at, `${login} writes the daily report of day ${day}`, async (s) => {
        report.dto = await writeReport(s, world, login, 'daily', dateOf(calendar, day), extras);
      });
      if (written && reading) planReading(timeline, world, calendar, random, login, reader, report, reading, remark);
    }
  }
  // Last week's weekly reports of the salespeople, on Friday afternoon; their managers read them on Monday.
  const friday = calendar.monday(-1) + 4;
  for (const login of roles.sales) {
    const at = StoryCalendar.plus(calendar.at(friday, '16:30'), random.int(0, 80));
    const report: { dto?: ReportDTO } = {};
    const written = timeline.addIfPast(at, `${login} writes last week's weekly report`, async (s) => {
      report.dto = await writeReport(s, world, login, 'weekly', dateOf(calendar, friday), { help: null, customers: random.pick(customerLines), cc: null });
    });
    const reader = roles.manager[login];
    if (written && reader) {
      timeline.addIfPast(calendar.at(friday + 3, '09:10'), `${reader} reads ${login}'s weekly report`, async (s) => {
        await run.readReport(s, world.user(reader), report.dto!.id);
      });
    }
  }
}


/** The author opens the period's report, drafts it from the schedule, adds a line or two, copies someone in, and submits. */
async function writeReport(s: StepContext, world: DemoWorld, login: string, kind: 'daily' | 'weekly', date: string, extras: { help: string | null; customers: string | null; cc: string | null }): Promise<ReportDTO> {
  const author = world.user(login);
  const opened = await run.openReport(s, author, kind, date);
  const drafted = (await run.draftReportFromSchedule(s, author, opened.id)).report;
  const content: Record<string, unknown> = {};
  const keys = new Set(drafted.sections.map((x) => x.key));
  if (extras.help && keys.has('help')) content.help = world.rich(extras.help);
  if (extras.customers && keys.has('customers')) content.customers = world.rich(extras.customers);
  if (extras.customers && keys.has('feedback')) content.feedback = world.rich(extras.customers);
  const saved = Object.keys(content).length || extras.cc ? await run.saveReport(s, author, opened.id, { revision: drafted.revision, content, ...(extras.cc ? { ccUserIds: [world.userId(extras.cc)] } : {}) }) : drafted;
  return run.submitReport(s, author, opened.id, saved.revision);
}

/** The head reads it the next working morning; now and then marks a passage or remarks on the whole; the author answers. */
function planReading(
  timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, login: string, reader: string, report: { dto?: ReportDTO },
  reading: { at: Date; passage: boolean; whole: boolean }, remark: { passage: string; whole: string; reply: string | null; resolve: boolean },
): void {
  const annotation: { id?: string } = {};
  const read = timeline.addIfPast(reading.at, `${reader} reads ${login}'s report`, async (s) => {
    const head = world.user(reader);
    const id = report.dto!.id;
    await run.readReport(s, head, id);
    if (reading.passage) {
      const markId = `demo-${id}`;
      const marked = markResult(report.dto!.content.done ?? {}, markId);
      if (marked) annotation.id = (await run.annotateReport(s, head, id, world.rich(remark.passage), { sectionKey: 'done', markId, revision: report.dto!.revision, document: marked })).id;
    }
    if (reading.whole) {
      const whole = (await run.annotateReport(s, head, id, world.rich(remark.whole))).id;
      annotation.id ??= whole;
    }
  });
  if (!read || (!reading.passage && !reading.whole) || !remark.reply) return;
  const answerAt = calendar.workingMoment(StoryCalendar.plus(reading.at, random.int(20, 180)));
  timeline.addIfPast(answerAt, `${login} answers ${reader}`, async (s) => {
    if (!annotation.id) return;
    const author = world.user(login);
    await run.replyToAnnotation(s, author, annotation.id, world.rich(remark.reply!));
    if (remark.resolve) await run.resolveAnnotation(s, author, annotation.id);
  });
}
