import type { EntityManager } from '@mikro-orm/postgresql';
import type { MeDTO } from '../../shared/dto.js';
import { Department } from '../entities/Department.js';
import type { User } from '../entities/User.js';
import { findSuperiors, managesAnyone } from '../policies/hierarchy.js';
import { userAbilities } from '../policies/users.js';
import { presentMe } from '../presenters/user.js';

/** The signed-in user with their department, superiors and what they may do. */
export async function me(em: EntityManager, user: User): Promise<MeDTO> {
  const department = await em.findOneOrFail(Department, user.department.id);
  const manages = await managesAnyone(em, user.id);
  return presentMe(user, { department, superiors: await findSuperiors(em, user.id), managesAnyone: manages, can: userAbilities(user, manages) });
}
