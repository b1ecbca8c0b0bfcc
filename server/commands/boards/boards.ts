import type { BoardOpenness } from '../../../shared/boards.js';
import { badRequest, fieldProblem, notFound } from '../../errors.js';
import { pgArray } from '../../db/sql.js';
import type { CommandContext } from '../context.js';

type Grantees = { userIds: string[]; departmentIds: string[] };
const roles = { moderators: 'moderator', viewers: 'viewer', members: 'member', posters: 'poster' } as const;
type RoleList = keyof typeof roles;

export type BoardInput = {
  name: string;
  description: string;
  category: string | null;
  position: number;
  openness: BoardOpenness;
  readOnly: boolean;
  allowAnonymous: boolean;
  everyonePosts: boolean;
} & Record<RoleList, Grantees>;

/** Every user and department named exists (a 400 naming the list otherwise). */
async function requireGrantees(cx: CommandContext, input: Partial<Record<RoleList, Grantees>>) {
  for (const list of Object.keys(roles) as RoleList[]) {
    const grantees = input[list];
    if (!grantees) continue;
    const users = [...new Set(grantees.userIds)];
    const departments = [...new Set(grantees.departmentIds)];
    const [found] = await cx.em.execute<{ users: string; departments: string }[]>(
      `SELECT (SELECT count(*) FROM users WHERE id = ANY(?::bigint[]) AND active) AS users, (SELECT count(*) FROM departments WHERE id = ANY(?::bigint[])) AS departments`,
      [pgArray(users), pgArray(departments)],
    );
    if (Number(found.users) !== users.length) throw badRequest('A user named is unknown or deactivated', [fieldProblem(`${list}.userIds`, 'unknown_user', 'names a user who does not exist or is deactivated')]);
    if (Number(found.departments) !== departments.length) throw badRequest('A department named is unknown', [fieldProblem(`${list}.departmentIds`, 'unknown_department', 'names a department that does not exist')]);
  }
}

/** Replaces the grants of the roles given. */
async function writeGrants(cx: CommandContext, boardId: string, input: Partial<Record<RoleList, Grantees>>) {
  for (const list of Object.keys(roles) as RoleList[]) {
    const grantees = input[list];
    if (!grantees) continue;
    const role = roles[list];
    await cx.em.execute(`DELETE FROM board_access WHERE board_id = ? AND role = ?`, [boardId, role]);
    await cx.em.execute(
      `INSERT INTO board_access (board_id, role, user_id, department_id)
       SELECT ?::bigint, ?, u, NULL::bigint FROM unnest(?::bigint[]) u UNION ALL SELECT ?::bigint, ?, NULL::bigint, d FROM unnest(?::bigint[]) d`,
      [boardId, role, pgArray([...new Set(grantees.userIds)]), boardId, role, pgArray([...new Set(grantees.departmentIds)])],
    );
  }
}

/** An administrator creates a board with its openness and who holds which role on it. */
export async function boardCreator(cx: CommandContext, input: BoardInput): Promise<string> {
  await requireGrantees(cx, input);
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO boards (name, description, category, position, openness, read_only, allow_anonymous, everyone_posts, created_by_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id::text AS id`,
    [input.name, input.description, input.category, input.position, input.openness, input.readOnly, input.allowAnonymous, input.everyonePosts, cx.actor.id],
  );
  await writeGrants(cx, String(row.id), input);
  await cx.audit({ action: 'board.created', targetType: 'board', targetId: String(row.id), data: { ...input } });
  return String(row.id);
}

/**
 * An administrator changes a board. A change of who may see what (openness, anyone's role, the
 * posters) takes effect on every path at once: every socket re-checks the board and thread streams
 * it follows against the stream policies after the commit and leaves those it may no longer follow.
 */
export async function boardUpdater(cx: CommandContext, boardId: string, input: Partial<BoardInput>) {
  await requireGrantees(cx, input);
  const updated = await cx.em.execute(
    `UPDATE boards SET name = coalesce(?, name), description = coalesce(?, description),
       category = CASE WHEN ? THEN ? ELSE category END, position = coalesce(?, position), openness = coalesce(?, openness),
       read_only = coalesce(?, read_only), allow_anonymous = coalesce(?, allow_anonymous), everyone_posts = coalesce(?, everyone_posts), updated_at = now()
     WHERE id = ? RETURNING id`,
    [
      input.name ?? null, input.description ?? null, input.category !== undefined, input.category ?? null, input.position ?? null, input.openness ?? null,
      input.readOnly ?? null, input.allowAnonymous ?? null, input.everyonePosts ?? null, boardId,
    ],
  );
  if (!updated.length) throw notFound('The board');
  await writeGrants(cx, boardId, input);
  await cx.audit({ action: 'board.settings_changed', targetType: 'board', targetId: String(boardId), data: { ...input } });
  const changesAccess = input.openness !== undefined || input.everyonePosts !== undefined || (Object.keys(roles) as RoleList[]).some((list) => input[list] !== undefined);
  if (changesAccess) cx.sockets.recheckAccess({ kinds: ['board', 'thread'] });
}
