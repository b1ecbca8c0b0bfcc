import type { AnnouncementCreateInput } from '../../../shared/schemas/announcements.js';
import { StoryCalendar } from './calendar.js';
import { staffNames } from './company.js';
import { demoCommands as run } from './commands.js';
import type { DemoRandom } from './random.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

type Story = {
  key: string;
  publisher: string;
  at: Date;
  input: (world: DemoWorld) => Omit<AnnouncementCreateInput, 'body'> & { body: string };
  /** Who opens it (and when, in minutes after publication) and who also acknowledges it. */
  readers: { login: string; after: number; acknowledge: boolean; reply?: string }[];
  id?: string;
};

const everyoneBut = (...logins: string[]) => Object.keys(staffNames).filter((l) => !logins.includes(l));
const noScope = { everyone: false, departmentIds: [] as string[], userIds: [] as string[] };

/**
 * Announcements of the demo company, each published, read and acknowledged through the product's
 * commands at its story time (the steps' clock is the story's, so the ledger's times are too):
 * a travel expense policy for everyone, pinned, acknowledged by most and then revised with a request
 * to acknowledge again; a holiday notice; a regional notice of 华东销售部; an urgent directive of the
 * sales centre, acknowledged by some within minutes, whose escalation ladder (e-mail, SMS, the direct
 * heads, daily e-mail) is still ahead; and a training notice scheduled for tomorrow morning.
 */
export function planAnnouncements(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  const company = () => world.departments.get('汇通贸易有限公司')!;
  const stories: Story[] = [
    {
      key: 'policy',
      publisher: 'zhangwei',
      at: calendar.at(-24, '09:30'),
      input: () => ({
        title: '差旅费报销制度',
        body: '一、出差须提前在日程中登记拜访计划，经直属上级批准。\n二、住宿标准：一线城市每晚不超过 500 元，其他城市不超过 350 元。\n三、报销须在返回后 10 个工作日内提交，附发票和拜访结果。',
        category: 'policy', priority: 'important', requiresAck: true, pinned: true, scope: { ...noScope, departmentIds: [company()] },
        publishAt: null, expiresAt: null, escalation: null,
      }),
      readers: everyoneBut('zhangwei', 'linfeng').map((login) => ({ login, after: random.int(20, 60 * 30), acknowledge: !['zhouqiang', 'guoyan'].includes(login) })),
    },
    {
      key: 'holiday',
      publisher: 'zhangwei',
      at: calendar.at(-3, '16:00'),
      input: () => ({
        title: '元旦放假安排',
        body: '元旦放假一天。放假前请把客户的紧急联系人交接给值班同事，售后热线照常值守。',
        category: 'notice', priority: 'normal', requiresAck: false, pinned: false, scope: { ...noScope, departmentIds: [company()] },
        publishAt: null, expiresAt: calendar.at(10, '18:00').toISOString(), escalation: null,
      }),
      readers: everyoneBut('zhangwei', 'sunli', 'wuxia', 'heping').map((login) => ({ login, after: random.int(5, 60 * 20), acknowledge: false })),
    },
    {
      key: 'east',
      publisher: 'wangfang',
      at: calendar.at(-5, '09:10'),
      input: () => ({
        title: '华东区客户拜访路线调整',
        body: '从下周起，苏州、无锡的客户拜访合并为每周二一次，请在日程中按新路线安排。',
        category: 'notice', priority: 'normal', requiresAck: false, pinned: false, scope: { ...noScope, departmentIds: [world.departments.get('华东销售部')!] },
        publishAt: null, expiresAt: null, escalation: null,
      }),
      readers: ['chenjing', 'zhaolei', 'sunli'].map((login) => ({ login, after: random.int(10, 120), acknowledge: false })),
    },
    {
      key: 'directive',
      publisher: 'liuyang',
      // Published shortly before the story ends: its ladder's steps are all still ahead and go out for real
      // (to the example.com addresses), as reminders due later today do. A step the story had already
      // passed would be a due job a running server could fire while the seed still tells who acknowledged.
      at: StoryCalendar.plus(timeline.end, -25),
      input: () => ({
        title: '本周五前完成重点客户回访登记',
        body: '请每位销售在本周五下班前，把铂金和黄金客户本月的回访结果录入日程，未完成的请说明原因。',
        category: 'directive', priority: 'urgent', requiresAck: true, pinned: false, scope: { ...noScope, departmentIds: [world.departments.get('销售中心')!] },
        publishAt: null, expiresAt: calendar.at(5, '18:00').toISOString(),
        escalation: { steps: [{ channel: 'email', afterMinutes: 30 }, { channel: 'sms', afterMinutes: 120 }, { channel: 'head', afterMinutes: 1440 }], repeat: { channel: 'email', everyHours: 24, times: 3 } },
      }),
      readers: [
        { login: 'wangfang', after: 3, acknowledge: true, reply: '华东已安排' },
        { login: 'chenjing', after: 8, acknowledge: true },
        { login: 'lina', after: 15, acknowledge: true, reply: '收到，周四前完成' },
        { login: 'zhouqiang', after: 20, acknowledge: false },
      ],
    },
  ];

  for (const story of stories) {
    timeline.add(story.at, `announcement ${story.key}`, async (s) => {
      const { body, ...rest } = story.input(world);
      story.id = await run.publishAnnouncement(s, world.user(story.publisher), { ...rest, body: world.rich(body) });
    });
    // The first administrator belongs to the company too: they read what goes to everyone.
    if (story.key === 'policy' || story.key === 'holiday') {
      timeline.add(StoryCalendar.plus(story.at, 45), `the administrator reads ${story.key}`, async (s) => {
        const admin = await run.firstAdministrator(s);
        await run.readAnnouncement(s, admin, story.id!);
        if (story.key === 'policy') await run.acknowledgeAnnouncement(s, admin, story.id!);
      });
    }
    for (const reader of story.readers) {
      const at = StoryCalendar.plus(story.at, reader.after);
      timeline.addIfPast(at, `${reader.login} reads ${story.key}`, async (s) => {
        await run.readAnnouncement(s, world.user(reader.login), story.id!);
        if (reader.acknowledge) await run.acknowledgeAnnouncement(s, world.user(reader.login), story.id!, reader.reply);
      });
    }
  }

  // The policy is revised: everyone must acknowledge version 2; most already have.
  const policy = stories[0];
  const revisedAt = calendar.at(-7, '10:00');
  timeline.add(revisedAt, 'policy revised', async (s) => {
    await run.reviseAnnouncement(s, world.user('zhangwei'), policy.id!, {
      body: world.rich('一、出差须提前在日程中登记拜访计划，经直属上级批准。\n二、住宿标准：一线城市每晚不超过 550 元，其他城市不超过 380 元。\n三、报销须在返回后 10 个工作日内提交，附发票和拜访结果。\n四、高铁二等座、经济舱为标准，特殊情况须事先审批。'),
      requireReacknowledge: true,
    });
  });
  timeline.add(StoryCalendar.plus(revisedAt, 50), 'the administrator acknowledges the revised policy', async (s) => void (await run.acknowledgeAnnouncement(s, await run.firstAdministrator(s), policy.id!)));
  for (const login of everyoneBut('zhangwei', 'linfeng', 'zhouqiang', 'guoyan', 'sunli', 'heping')) {
    timeline.addIfPast(StoryCalendar.plus(revisedAt, random.int(15, 60 * 48)), `${login} acknowledges the revised policy`, async (s) => {
      await run.acknowledgeAnnouncement(s, world.user(login), policy.id!);
    });
  }

  // 客户服务中心's training notice goes out tomorrow morning, by its job.
  timeline.add(StoryCalendar.plus(timeline.end, -30), 'training notice scheduled', async (s) => {
    await run.publishAnnouncement(s, world.user('huangmin'), {
      title: '售后服务月度培训', body: world.rich('明天下午两点在二楼会议室培训新款伺服驱动器的调试，请带好笔记本电脑。'),
      category: 'notice', priority: 'important', requiresAck: false, pinned: false,
      scope: { ...noScope, departmentIds: [world.departments.get('客户服务中心')!] },
      publishAt: calendar.at(1, '09:00').toISOString(), expiresAt: null, escalation: null,
    });
  });
}
