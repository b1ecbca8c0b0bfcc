import type { BoardReaction, SubscriptionLevel } from '../../../shared/boards.js';
import type { BoardInput } from '../../commands/boards/boards.js';
import { StoryCalendar } from './calendar.js';
import { demoCommands as run } from './commands.js';
import type { DemoRandom } from './random.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

type Grants = { users?: string[]; departments?: string[] };
type DemoBoard = Omit<BoardInput, 'moderators' | 'viewers' | 'members' | 'posters' | 'description' | 'position' | 'readOnly' | 'allowAnonymous' | 'everyonePosts'> & {
  key: string;
  description: string;
  position: number;
  readOnly?: boolean;
  allowAnonymous?: boolean;
  moderators?: Grants;
  viewers?: Grants;
  members?: Grants;
  /** Who watches or tracks the whole board. */
  levels?: Record<string, SubscriptionLevel>;
};

type DemoReply = {
  by: string;
  text: string;
  /** Hours after the thread started. */
  after: number;
  /** The number of the reply this one quotes. */
  quotes?: number;
  reactions?: [string, BoardReaction][];
  hidden?: { by: string; reason: string };
};

type DemoThread = {
  board: string;
  by: string;
  title: string;
  text: string;
  daysAgo: number;
  time: string;
  anonymous?: boolean;
  customer?: string;
  replies: DemoReply[];
  reactions?: [string, BoardReaction][];
  moderation?: { by: string; action: 'pin' | 'lock' };
  /** Who has read how far (a reply number; 0: the opening post), a while after the last reply. */
  reads?: Record<string, number>;
  levels?: Record<string, SubscriptionLevel>;
};

const boards: DemoBoard[] = [
  {
    key: 'policies', name: '公司公告与制度', category: '公司', position: 1, openness: 'open', readOnly: true,
    description: '公司的制度、流程和正式通知。只有版主发帖，大家可以表态，有疑问请在“综合讨论”提。', moderators: { users: ['zhangwei', 'huangmin'] },
  },
  {
    key: 'general', name: '综合讨论', category: '公司', position: 2, openness: 'open',
    description: '工作之余的讨论、活动和建议，全公司都能看、都能发。', moderators: { users: ['maxiaoyun'] }, levels: { wangfang: 'watching' },
  },
  {
    key: 'suggestions', name: '意见箱', category: '公司', position: 3, openness: 'semi_open', allowAnonymous: true,
    description: '对公司的意见和建议，可以匿名。你只看到自己的帖子；总经理和客户服务中心负责人能看到全部并回复。',
    moderators: { users: ['zhangwei'] }, viewers: { users: ['huangmin'] }, levels: { zhangwei: 'watching' },
  },
  {
    key: 'expenses', name: '费用报销答疑', category: '公司', position: 4, openness: 'semi_open',
    description: '报销、借款、发票的问题在这里问，只有你和财务审批人能看到。', viewers: { users: ['liuyang'] }, moderators: { users: ['zhangwei'] },
  },
  {
    key: 'sales', name: '销售中心内部', category: '部门', position: 1, openness: 'closed',
    description: '销售中心的客户策略、报价和回款讨论，只有销售中心的同事能看到。', moderators: { users: ['liuyang'] }, members: { departments: ['销售中心'] },
    levels: { chenjing: 'tracking' },
  },
];

const threads: DemoThread[] = [
  {
    board: 'policies', by: 'zhangwei', title: '差旅费用报销制度（2024 修订版）', daysAgo: 13, time: '09:30', moderation: { by: 'zhangwei', action: 'pin' },
    text: '各位同事：\n出差住宿标准调整为：一线城市每晚不超过 550 元，其他城市不超过 400 元；高铁二等座、飞机经济舱实报实销。\n报销请在出差结束后 10 个工作日内提交，附发票和行程单。有疑问请到“费用报销答疑”提问。',
    replies: [], reactions: [['wangfang', 'thumbs_up'], ['chenjing', 'thumbs_up'], ['xuhui', 'eyes']], reads: { chenjing: 0, wangfang: 0 },
  },
  {
    board: 'policies', by: 'huangmin', title: '售后服务响应时限规定', daysAgo: 9, time: '14:00',
    text: '从下月起，铂金和黄金客户的故障电话 2 小时内响应、24 小时内到场；其他客户 4 小时内响应、48 小时内到场。请 @{xuhui} 安排好值班表。',
    replies: [], reactions: [['xuhui', 'thumbs_up'], ['heping', 'thumbs_up']],
  },
  {
    board: 'general', by: 'chenjing', title: '年会节目征集', daysAgo: 6, time: '10:15', levels: { sunli: 'tracking' },
    text: '年会还有一个月，每个部门至少出一个节目。华东销售部我报了小品，@{wangfang} 王经理要不要来客串？',
    replies: [
      { by: 'wangfang', text: '没问题，我演客户，专门压价的那种。', after: 1, reactions: [['chenjing', 'laugh'], ['zhaolei', 'laugh']] },
      { by: 'linfeng', text: '市场部准备一个快闪，需要 8 个人，有兴趣的找我。', after: 3 },
      { by: 'zhaolei', text: '快闪算我一个！', after: 4, quotes: 2 },
      { by: 'guoyan', text: '售后服务部可以唱歌，@{heping} 何平是麦霸。', after: 26 },
      { by: 'heping', text: '被点名了……那就唱一首《朋友》吧。', after: 28, quotes: 4, reactions: [['guoyan', 'hooray']] },
    ],
    reads: { wangfang: 2, sunli: 3, linfeng: 5 },
  },
  {
    board: 'general', by: 'linfeng', title: '展会物料设计初稿，请大家提意见', daysAgo: 4, time: '16:20',
    text: '工博会的展台背板和易拉宝初稿做好了，主色调用深蓝，主打伺服和变频器两条产品线。销售同事觉得客户最关心什么？',
    replies: [
      { by: 'wuxia', text: '客户最常问交期和售后，建议在易拉宝上写清楚“48 小时到场”。', after: 2 },
      { by: 'sunli', text: '这周末有人一起去团购吗？链接私聊我。', after: 3, hidden: { by: 'maxiaoyun', reason: '与主题无关，团购请到私聊里说' } },
      { by: 'xuhui', text: '同意吴霞，售后承诺是我们的卖点。', after: 5, quotes: 1 },
    ],
    reads: { maxiaoyun: 3 },
  },
  {
    board: 'general', by: 'zhaolei', title: '周末羽毛球有人一起吗', daysAgo: 2, time: '18:40',
    text: '周六下午两点，体育中心 3 号场，已经订了两片场地，还差三个人。',
    replies: [{ by: 'zhouqiang', text: '我去！带一桶球。', after: 1 }],
  },
  {
    board: 'suggestions', by: 'sunli', title: '食堂午餐能不能增加素食窗口', daysAgo: 8, time: '12:50', anonymous: true,
    text: '好几个同事吃素，现在每天只有一个素菜，希望能单独开一个素食窗口。',
    replies: [
      { by: 'huangmin', text: '收到，已经和食堂承包方沟通，下周一起增加一个轻食和素食窗口。', after: 20 },
      { by: 'sunli', text: '太好了，谢谢！', after: 22 },
    ],
  },
  {
    board: 'suggestions', by: 'heping', title: '售后车辆不够用', daysAgo: 5, time: '09:10',
    text: '售后服务部只有两辆车，上周三个工程师同时外出，只能打车，报销也麻烦。建议再配一辆车，或者和租车公司签协议。',
    replies: [{ by: 'huangmin', text: '先和租车公司签协议，月底前落实。@{xuhui} 请统计一下上个月的外出次数。', after: 6 }],
  },
  {
    board: 'suggestions', by: 'wuxia', title: '加班调休的规则不清楚', daysAgo: 1, time: '20:30', anonymous: true,
    text: '周末陪客户的时间算不算加班？调休要提前几天申请？希望人事出一个明确的说明。',
    replies: [],
  },
  {
    board: 'expenses', by: 'zhouqiang', title: '客户招待费需要哪些单据', daysAgo: 3, time: '11:00',
    text: '上周请粤海的采购吃饭，发票抬头开成了个人，还能报销吗？',
    replies: [{ by: 'liuyang', text: '抬头必须是公司全称，请联系饭店重开；另外附上招待事由和参加人员名单。', after: 4 }],
  },
  {
    board: 'sales', by: 'wangfang', title: '华信科技明年框架合同的谈判策略', daysAgo: 7, time: '10:00', customer: 'huaxin', moderation: { by: 'liuyang', action: 'pin' },
    text: '华信明年的采购量预计增加 30%，李总监已经暗示要降价 8%。我的想法：价格最多让 5%，用延长保修和备件库存换他们的量。@{liuyang} 刘总看看是否可以？',
    replies: [
      { by: 'liuyang', text: '5% 可以，但付款周期必须从 90 天缩到 60 天。', after: 2 },
      { by: 'chenjing', text: '他们的技术部更在意交期，可以承诺常用型号保留两周安全库存。', after: 5 },
      { by: 'wangfang', text: '好，我把这两条写进方案，周四上门谈。', after: 7, quotes: 1, reactions: [['liuyang', 'thumbs_up']] },
      { by: 'zhaolei', text: '需要的话我把去年的交付记录整理出来，证明我们的准时率。', after: 30 },
    ],
    reads: { chenjing: 2, liuyang: 4 },
  },
  {
    board: 'sales', by: 'lina', title: '华南区第三季度回款风险', daysAgo: 3, time: '15:30', customer: 'yuehai',
    text: '粤海电子有两笔货款逾期 20 天，对方说在走审批。@{zhouqiang} 你这周再去一次，当面确认付款日期。',
    replies: [
      { by: 'zhouqiang', text: '明天上午过去，顺便带新的对账单。', after: 1 },
      { by: 'wuxia', text: '南方精密那边也有一笔快到期，我一起盯着。', after: 3 },
    ],
  },
];

/**
 * The boards: an open read-only archive of policies, an open forum, a suggestion box (semi-open,
 * anonymous allowed), a semi-open board for expense questions and the sales centre's closed board,
 * with threads of the last two weeks, replies, quotes, mentions, reactions, a pinned thread and a
 * reply a moderator hid, customer links in the sales board, levels, and read positions that leave
 * some replies unread.
 */
export function planBoards(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  const boardIds = new Map<string, string>();
  const grants = (g?: Grants) => ({ userIds: (g?.users ?? []).map((login) => world.userId(login)), departmentIds: (g?.departments ?? []).map((name) => world.departments.get(name)!) });

  timeline.add(calendar.at(-300, '09:00'), 'the boards', async (s) => {
    const admin = await run.firstAdmin(s);
    for (const board of boards) {
      const id = await run.createBoard(s, admin, {
        name: board.name, description: board.description, category: board.category, position: board.position, openness: board.openness,
        readOnly: board.readOnly ?? false, allowAnonymous: board.allowAnonymous ?? false, everyonePosts: true,
        moderators: grants(board.moderators), viewers: grants(board.viewers), members: grants(board.members), posters: grants(),
      });
      boardIds.set(board.key, id);
      for (const [login, level] of Object.entries(board.levels ?? {})) await run.subscribeBoard(s, world.user(login), id, level);
    }
  });

  for (const thread of threads) {
    const started = StoryCalendar.plus(calendar.at(-thread.daysAgo, thread.time), random.int(0, 20));
    let threadId = '';
    const replyIds: string[] = [];
    timeline.add(started, `thread ${thread.title}`, async (s) => {
      threadId = await run.startThread(s, world.user(thread.by), boardIds.get(thread.board)!, {
        title: thread.title, body: world.rich(thread.text), anonymous: thread.anonymous ?? false, customerId: thread.customer ? world.customer(thread.customer).id : null,
      });
      for (const [login, level] of Object.entries(thread.levels ?? {})) await run.subscribeThread(s, world.user(login), threadId, level);
    });
    if (thread.moderation || thread.reactions) {
      timeline.add(StoryCalendar.plus(started, 30), `reactions to ${thread.title}`, async (s) => {
        if (thread.moderation) await run.moderateThread(s, world.user(thread.moderation.by), threadId, { action: thread.moderation.action });
        for (const [login, reaction] of thread.reactions ?? []) await run.react(s, world.user(login), { threadId, replyId: null }, reaction);
      });
    }
    let last = started;
    for (const reply of thread.replies) {
      const at = StoryCalendar.plus(started, reply.after * 60 + random.int(0, 15));
      last = at;
      timeline.addIfPast(at, `reply in ${thread.title}`, async (s) => {
        const posted = await run.replyInThread(s, world.user(reply.by), threadId, { body: world.rich(reply.text), quoteReplyId: reply.quotes ? replyIds[reply.quotes - 1] : null });
        replyIds.push(posted.replyId);
        for (const [login, reaction] of reply.reactions ?? []) await run.react(s, world.user(login), { replyId: posted.replyId }, reaction);
        if (reply.hidden) await run.hideReply(s, world.user(reply.hidden.by), posted.replyId, reply.hidden.reason);
      });
    }
    if (thread.reads) {
      timeline.addIfPast(StoryCalendar.plus(last, 45), `reading ${thread.title}`, async (s) => {
        for (const [login, number] of Object.entries(thread.reads!)) await run.readThread(s, world.user(login), threadId, Math.min(number, replyIds.length));
      });
    }
  }
}
