import type { EntityManager } from '@mikro-orm/postgresql';
import type { MeDTO } from '../../shared/dto.js';
import { lockFor } from '../db/sql.js';
import { User } from '../entities/User.js';
import { conflict, forbidden } from '../errors.js';

/** What a user may do beyond their own things: the `can` of MeDTO. */
export function userAbilities(user: User, managesAnyone: boolean): MeDTO['can'] {
  return {
    // Accounts, departments, settings, the outbox and system messages.
    administer: user.role === 'admin',
    // Reminders (and schedules) of people below them.
    addressSubordinates: managesAnyone,
    // The manager's dashboard (server/policies/workbench.ts): department heads and administrators.
    viewDashboard: user.role === 'admin' || managesAnyone,
  };
}

/** Administrators alone manage accounts, departments and settings (routes declare it with `access: 'admin'`). */
export function requireAdministrator(user: Pick<User, 'role'>): void {
  if (!userAbilities(user as User, false).administer) throw forbidden('Only administrators may do this');
}

/** The organisation keeps at least one active administrator: deactivating or demoting the last one is refused (409). */
export async function requireAnotherAdminRemains(tx: EntityManager, user: User): Promise<void> {
  // Serialised: two administrators demoting each other at once must not both succeed.
  await lockFor(tx, 'huitong.admins');
  const others = await tx.count(User, { role: 'admin', active: true, id: { $ne: user.id } });
  if (others === 0) throw conflict('The organisation needs at least one active administrator');
}
