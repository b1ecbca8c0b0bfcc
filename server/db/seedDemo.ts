import type { EntityManager } from '@mikro-orm/postgresql';
import { Department } from '../entities/Department.js';
import { User } from '../entities/User.js';
import { hashPassword } from '../auth/passwords.js';

/** The demo organisation: a trading company with departments three levels deep. */
const tree = {
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

const names: Record<string, string> = {
  zhangwei: '张伟', liuyang: '刘洋', wangfang: '王芳', chenjing: '陈静', zhaolei: '赵磊', sunli: '孙丽',
  lina: '李娜', zhouqiang: '周强', wuxia: '吴霞', huangmin: '黄敏', xuhui: '徐辉', heping: '何平',
  guoyan: '郭燕', maxiaoyun: '马晓云', linfeng: '林峰',
};

type Node = { name: string; managers?: string[]; members?: string[]; children?: Node[] };

export const DEMO_PASSWORD = 'huitong-demo';

/** Fills an empty organisation with the demo company; refuses when staff other than the first admin exist. */
export async function seedDemo(em: EntityManager): Promise<{ email: string; name: string; department: string; manager: boolean }[]> {
  if ((await em.count(User, {})) > 1) throw new Error('The database already has users; the demo organisation goes into an empty one only.');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: { email: string; name: string; department: string; manager: boolean }[] = [];
  const existingRoot = await em.findOne(Department, { parent: null }, { orderBy: { id: 'asc' } });

  const build = (node: Node, parent: Department | null): void => {
    const department = parent === null && existingRoot ? existingRoot : em.create(Department, { name: node.name, parent });
    if (parent === null) department.name = node.name;
    for (const login of [...(node.managers ?? []), ...(node.members ?? [])]) {
      const manager = node.managers?.includes(login) ?? false;
      const user = em.create(User, { email: `${login}@example.com`, displayName: names[login], passwordHash, department, role: 'member', locale: 'zh-CN' });
      if (manager) department.managers.add(user);
      logins.push({ email: user.email, name: user.displayName, department: node.name, manager });
    }
    for (const child of node.children ?? []) build(child, department);
  };
  build(tree, null);
  await em.flush();
  return logins;
}
