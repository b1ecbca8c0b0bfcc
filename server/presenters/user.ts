import type { MeDTO, UserDTO, UserSummaryDTO } from '../../shared/dto.js';
import type { User } from '../entities/User.js';

/** The short form of a user shown next to their content. */
export function presentUserSummary(user: User): UserSummaryDTO {
  return { id: String(user.id), displayName: user.displayName, email: user.email };
}

/** A user as admins and the user themselves see them. */
export function presentUser(user: User): UserDTO {
  return {
    ...presentUserSummary(user),
    locale: user.locale,
    timeZone: user.timeZone,
    mobile: user.mobile ?? null,
    role: user.role,
    active: user.active,
    departmentId: String(typeof user.department === 'object' ? user.department.id : user.department),
    createdAt: user.createdAt.toISOString(),
  };
}

/** The signed-in user with what the query found about them. */
export function presentMe(user: User, found: { department: { id: string; name: string }; superiors: UserSummaryDTO[]; managesAnyone: boolean; can: MeDTO['can'] }): MeDTO {
  return {
    ...presentUser(user),
    department: { id: String(found.department.id), name: found.department.name },
    superiors: found.superiors,
    managesAnyone: found.managesAnyone,
    can: found.can,
  };
}
