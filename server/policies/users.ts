import type { MeDTO } from '../../shared/dto.js';
import type { User } from '../entities/User.js';

/** What a user may do beyond their own things: the `can` of MeDTO. */
export function userAbilities(user: User, managesAnyone: boolean): MeDTO['can'] {
  return {
    // Accounts, departments, settings, the outbox and system messages.
    administer: user.role === 'admin',
    // Reminders (and schedules) of people below them.
    addressSubordinates: managesAnyone,
  };
}
