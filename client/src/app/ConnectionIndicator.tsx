import { useI18n } from '../i18n';
import { useConnectionState } from '../realtime';

/** A dot and a word for the live connection, so people know whether what they see is current. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const { t } = useI18n();
  const label = t(`connection.${state}`);
  return (
    <span className={`connection connection-${state}`} data-testid="connection-state" data-state={state} title={t('connection.title', { state: label })} role="status">
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
