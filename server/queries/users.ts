import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page, UserDTO } from '../../shared/dto.js';
import { User } from '../entities/User.js';
import { presentUser } from '../presenters/user.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';

type DirectoryEntry = UserDTO | Pick<UserDTO, 'id' | 'displayName' | 'email' | 'departmentId'>;


/**
 * The staff directory, by name: find people by name or e-mail, optionally in one department.
 * Administrators see every field and, when asked, deactivated accounts; others see who people are.
 */
export async function userDirectory(
  em: EntityManager,
  viewer: User,
  query: { q?: string; departmentId?: string; includeInactive?: 'true' | 'false'; cursor?: string; limit: number },
): Promise<Page<DirectoryEntry>> {
  const admin = viewer.role === 'admin';
  const where: Record<string, unknown> = {};
  if (!(admin && query.includeInactive === 'true')) where.active = true;
  if (query.departmentId) where.department = query.departmentId;
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.$or = [{ displayName: { $ilike: like } }, { email: { $ilike: like } }];
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
