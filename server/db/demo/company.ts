import type { EntityManager } from '@mikro-orm/postgresql';
import type { StoryCalendar } from './calendar.js';
import { demoCommands as run } from './commands.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/** Every demo user's password (printed with the logins). */
export const DEMO_PASSWORD = 'huitong-demo';

type DepartmentNode = { name: string; managers: string[]; members?: string[]; children?: DepartmentNode[] };

/** The demo organisation: a trading company with departments three levels deep. */
const tree: DepartmentNode = {
  name: '汇通贸易有限公司',
  managers: ['zhangwei'],
  children: [
    {
      name: '销售中心',
      managers: ['liuyang'],
      children: [
        { name: '华东销售部', managers: ['wangfang'], members: ['chenjing', 'zhaolei', 'sunli'] },
        { name: '华南销售部', managers: ['lina'], members: ['zhouqiang', 'wuxia'] },
      ],
    },
    {
      name: '客户服务中心',
      managers: ['huangmin'],
      children: [{ name: '售后服务部', managers: ['xuhui'], members: ['heping', 'guoyan'] }],
    },
    { name: '市场部', managers: ['maxiaoyun'], members: ['linfeng'] },
  ],
};

export const staffNames: Record<string, string> = {
  zhangwei: '张伟', liuyang: '刘洋', wangfang: '王芳', chenjing: '陈静', zhaolei: '赵磊', sunli: '孙丽',
  lina: '李娜', zhouqiang: '周强', wuxia: '吴霞', huangmin: '黄敏', xuhui: '徐辉', heping: '何平',
  guoyan: '郭燕', maxiaoyun: '马晓云', linfeng: '林峰',
};

/** Who works with customers in the field, and who manages whom, as the story uses them. */
export const roles = {
  /** Salespeople and the sales managers who still visit customers themselves. */
  sales: ['wangfang', 'chenjing', 'zhaolei', 'sunli', 'lina', 'zhouqiang', 'wuxia'],
  service: ['xuhui', 'heping', 'guoyan'],
  marketing: ['maxiaoyun', 'linfeng'],
  /** The nearest superior who reads and annotates each person's schedule. */
  manager: { chenjing: 'wangfang', zhaolei: 'wangfang', sunli: 'wangfang', zhouqiang: 'lina', wuxia: 'lina', wangfang: 'liuyang', lina: 'liuyang', heping: 'xuhui', guoyan: 'xuhui', xuhui: 'huangmin', linfeng: 'maxiaoyun' } as Record<string, string>,
  team: { wangfang: ['chenjing', 'zhaolei', 'sunli'], lina: ['zhouqiang', 'wuxia'], xuhui: ['heping', 'guoyan'] } as Record<string, string[]>,
};

/** Every other step of the story comes later than the company's founding. */
export const FOUNDED_DAYS_AGO = 1500;

export type DemoLogin = { email: string; name: string; department: string; manager: boolean };

/**
 * The organisation, founded long before the story's weeks: the first administrator's department
 * becomes the company, the departments and the 15 staff are created as an administrator would.
 */
export function planCompany(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, rootId: string, guard: (tx: EntityManager) => Promise<void>): DemoLogin[] {
  const logins: DemoLogin[] = [];
  // Founded before anything else of the story, so that this is its first step.
  timeline.add(calendar.at(-FOUNDED_DAYS_AGO, '10:00'), 'the company and its staff', async (s) => {
    await guard(s.tx);
    const build = async (node: DepartmentNode, parentId: string | null) => {
      const id = parentId === null ? rootId : String((await run.createDepartment(s, { name: node.name, parentId })).id);
      if (parentId === null) await run.updateDepartment(s, id, { name: node.name });
      world.departments.set(node.name, id);
      for (const login of [...node.managers, ...(node.members ?? [])]) {
        const user = await run.createUser(s, {
          email: `${login}@example.com`, displayName: staffNames[login], password: DEMO_PASSWORD, departmentId: id,
          // No mobile numbers: an invented one could be a real person's phone, and reminders that fall due after
          // seeding go out for real. Their SMS are logged as failed ("no mobile number"); e-mail goes to example.com.
          role: 'member', locale: 'zh-CN', timeZone: 'Asia/Shanghai', mobile: null,
        });
        world.users.set(login, user);
        logins.push({ email: user.email, name: user.displayName, department: node.name, manager: node.managers.includes(login) });
      }
      await run.updateDepartment(s, id, { managerIds: node.managers.map((login) => world.userId(login)) });
      for (const child of node.children ?? []) await build(child, id);
    };
    await build(tree, null);
  });
  return logins;
}
