import type { User } from '../entities/User.js';
import { notFound } from '../errors.js';
import { userAbilities } from './users.js';

/**
 * The audit log and the backups are administrators' alone; to anyone else they do not exist (404,
 * not 403: their mere shape tells nothing to a member).
 */
export function requireOperator(user: User, what: 'The audit log' | 'The backup' | 'The backups'): void {
  if (!userAbilities(user, false).administer) throw notFound(what);
}
