import type { EntityManager } from '@mikro-orm/postgresql';
import type { MeDTO } from '../../shared/dto.js';
import { Department } from '../entities/Department.js';
import type { User } from '../entities/User.js';
import { findSuperiors, managesAnyone } from '../policies/hierarchy.js';
import { presentUser } from './user.js';

/** The signed-in user with their department, superiors and whether they manage anyone. */
export async function presentMe(em: EntityManager, user: User): Promise<MeDTO> {
  const department = await em.findOneOrFail(Department, user.department.id);
  return {
    ...presentUser(user),
    department: { id: String(department.id), name: department.name },
    superiors: await findSuperiors(em, user.id),
    managesAnyone: await managesAnyone(em, user.id),
  };
}
