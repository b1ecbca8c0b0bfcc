import { useState } from 'react';
import { useI18n } from '../../i18n';

/** Asks a moderator why they hide something (its author is shown the reason). */
export function ReasonForm({ onSubmit, onCancel, testId }: { onSubmit: (reason: string) => void; onCancel: () => void; testId: string }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <form
      className="reason-form"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) onSubmit(reason.trim());
      }}
    >
      <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder={t('boards.hideReason')} aria-label={t('boards.hideReason')} required data-testid={`${testId}-input`} />
      <button type="submit" className="button-danger" disabled={!reason.trim()} data-testid={`${testId}-submit`}>
        {t('boards.hide')}
      </button>
      <button type="button" className="button-quiet" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
