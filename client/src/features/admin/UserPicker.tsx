import type { UserSummaryDTO } from '../../../../shared/dto';
import { UserSearch } from '../../components/UserSearch';
import { useI18n } from '../../i18n';

/** Picks several users: the chosen ones as removable chips, more through the directory search. */
export function UserPicker({ value, onChange, testId }: { value: UserSummaryDTO[]; onChange: (users: UserSummaryDTO[]) => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="user-picker" data-testid={testId}>
      <ul className="chips">
        {value.map((u) => (
          <li key={u.id} className="chip" data-testid={`${testId}-chosen`}>
            {u.displayName}
            <button type="button" aria-label={t('userPicker.remove', { name: u.displayName })} onClick={() => onChange(value.filter((v) => v.id !== u.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <UserSearch testId={testId} exclude={new Set(value.map((u) => u.id))} onPick={(user) => onChange([...value, user])} />
    </div>
  );
}
