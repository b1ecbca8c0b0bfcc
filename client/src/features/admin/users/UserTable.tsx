import type { DepartmentDTO, UserDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';

type Props = {
  users: UserDTO[];
  departments: DepartmentDTO[];
  selected: Set<string>;
  busyId: string | null;
  onToggle: (id: string) => void;
  onEdit: (user: UserDTO) => void;
  onPassword: (user: UserDTO) => void;
  onSetActive: (user: UserDTO, active: boolean) => void;
};

/** The user list with a selection column (recipients of a system message) and row actions. */
export function UserTable({ users, departments, selected, busyId, onToggle, onEdit, onPassword, onSetActive }: Props) {
  const { t } = useI18n();
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  if (users.length === 0) return <p className="muted" data-testid="users-empty">{t('users.empty')}</p>;
  return (
    <table className="table" data-testid="user-table">
      <thead>
        <tr>
          <th aria-label={t('systemMessage.title')} />
          <th>{t('users.name')}</th>
          <th>{t('users.email')}</th>
          <th>{t('users.department')}</th>
          <th>{t('users.role')}</th>
          <th>{t('users.status')}</th>
          <th>{t('users.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id} data-testid="user-row" data-id={user.id} data-email={user.email} className={user.active ? '' : 'inactive'}>
            <td>
              {/* Deactivated users cannot receive messages; the server would refuse them. */}
              <input type="checkbox" checked={selected.has(user.id)} disabled={!user.active} onChange={() => onToggle(user.id)} aria-label={t('users.select', { name: user.displayName })} data-testid="user-select" />
            </td>
            <td>{user.displayName}</td>
            <td data-label={t('users.email')}>{user.email}</td>
            <td data-label={t('users.department')}>{departmentName.get(user.departmentId) ?? '—'}</td>
            <td data-label={t('users.role')}>{t(`role.${user.role}`)}</td>
            <td data-testid="user-status" data-active={user.active} data-label={t('users.status')}>
              {user.active ? t('users.active') : t('users.inactive')}
            </td>
            <td className="row-actions">
              <button type="button" className="link-button" onClick={() => onEdit(user)} data-testid="user-edit">
                {t('users.edit')}
              </button>
              <button type="button" className="link-button" onClick={() => onPassword(user)} data-testid="user-password">
                {t('users.resetPassword')}
              </button>
              <button type="button" className="link-button" disabled={busyId === user.id} onClick={() => onSetActive(user, !user.active)} data-testid={user.active ? 'user-deactivate' : 'user-reactivate'}>
                {user.active ? t('users.deactivate') : t('users.reactivate')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
