import type { EntityManager } from '@mikro-orm/postgresql';
import type { MentionCandidateDTO, Page, UserDTO } from '../../shared/dto.js';
import { pinyinQuery } from '../../shared/pinyin.js';
import { User } from '../entities/User.js';
import { requireMemberRow } from '../policies/conversation.js';
import { presentUser } from '../presenters/user.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';

type DirectoryEntry = UserDTO | Pick<UserDTO, 'id' | 'displayName' | 'email' | 'departmentId'>;

/** `text` with LIKE's wildcards escaped, to match literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * The staff directory, by name: find people by name, e-mail, pinyin or pinyin initials ("wangfang",
 * "wf"), optionally in one department or by id.
 * Administrators see every field and, when asked, deactivated accounts; others see who people are.
 */
export async function userDirectory(
  em: EntityManager,
  viewer: User,
  query: { q?: string; ids?: string[]; departmentId?: string; includeInactive?: 'true' | 'false'; cursor?: string; limit: number },
): Promise<Page<DirectoryEntry>> {
  const admin = viewer.role === 'admin';
  const where: Record<string, unknown> = {};
  if (!(admin && query.includeInactive === 'true')) where.active = true;
  if (query.departmentId) where.department = query.departmentId;
  if (query.ids) where.id = { $in: query.ids };
  if (query.q) {
    const like = `%${likeLiteral(query.q)}%`;
    const spelled = pinyinQuery(query.q);
    where.$or = [
      { displayName: { $ilike: like } },
      { email: { $ilike: like } },
      ...(spelled ? [{ namePinyin: { $like: `${spelled}%` } }, { nameInitials: { $like: `${spelled}%` } }] : []),
    ];
  }
  const after = query.cursor ? readKeysetCursor(query.cursor, ['string', 'id']) : null;
  if (after) where.$and = [{ $or: [{ displayName: { $gt: after[0] } }, { displayName: after[0], id: { $gt: after[1] } }] }];
  const users = await em.find(User, where, { orderBy: { displayName: 'asc', id: 'asc' }, limit: query.limit + 1 });
  return pageOf(
    users,
    query.limit,
    (page) => page.map((u) => {
      const dto = presentUser(u);
      return admin ? dto : { id: dto.id, displayName: dto.displayName, email: dto.email, departmentId: dto.departmentId };
    }),
    (u) => keysetCursor([u.displayName, String(u.id)]),
  );
}

/** One account as administrators see it, or null. */
export async function userById(em: EntityManager, id: string): Promise<UserDTO | null> {
  const found = await em.findOne(User, id);
  return found ? presentUser(found) : null;
}

/**
 * The @ picker's candidates: active people but the viewer whose name contains `q`, or whose pinyin
 * or pinyin initials contain it ("wang", "wangfang", "wf" all find 王芳). Prefix matches of the
 * name, its pinyin or initials come first, then the rest; within each, the viewer's own
 * department first, then pinyin order (the order of a Chinese name list). In a conversation (the
 * viewer must be a member, else 404) only its members. One statement over the users, which is
 * a few thousand rows at most: no index serves a substring match of three columns better.
 */
export async function mentionCandidates(em: EntityManager, viewer: User, query: { q?: string; conversationId?: string; limit: number }): Promise<MentionCandidateDTO[]> {
  if (query.conversationId) await requireMemberRow(em, query.conversationId, viewer.id);
  const q = query.q ?? '';
  const spelled = pinyinQuery(q);
  const prefix = `${likeLiteral(q)}%`;
  const anywhere = `%${likeLiteral(q)}%`;
  const rows = await em.execute<{ id: string; display_name: string; department_name: string }[]>(
    `SELECT u.id::text AS id, u.display_name, d.name AS department_name
     FROM users u JOIN departments d ON d.id = u.department_id
     WHERE u.active AND u.id <> ?
       AND (?::bigint IS NULL OR EXISTS (SELECT 1 FROM conversation_members cm WHERE cm.conversation_id = ?::bigint AND cm.user_id = u.id))
       AND (u.display_name ILIKE ? OR u.email ILIKE ? OR (? <> '' AND (u.name_pinyin LIKE ? OR u.name_initials LIKE ?)))
     ORDER BY CASE WHEN u.display_name ILIKE ? OR (? <> '' AND (u.name_pinyin LIKE ? OR u.name_initials LIKE ?)) THEN 0 ELSE 1 END,
              u.department_id = ? DESC, u.name_pinyin, u.display_name, u.id
     LIMIT ?`,
    [
      viewer.id,
      query.conversationId ?? null,
      query.conversationId ?? null,
      anywhere,
      prefix,
      spelled,
      `%${spelled}%`,
      `%${spelled}%`,
      prefix,
      spelled,
      `${spelled}%`,
      `${spelled}%`,
      String(viewer.department.id),
      query.limit,
    ],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, departmentName: r.department_name }));
}
