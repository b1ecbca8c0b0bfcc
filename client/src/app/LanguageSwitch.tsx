import { useState } from 'react';
import type { Locale } from '../../../shared/schemas/common';
import { ApiError } from '../api/http';
import { isLocale, locales, useI18n } from '../i18n';
import { saveLocale } from '../features/auth/authApi';
import { useSession } from '../features/auth/session';

/**
 * Changes the language at once; when signed in it also saves it to the profile, so the
 * user's other devices, e-mails and SMS use it too.
 */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const { state, updateMe } = useSession();
  const [saveError, setSaveError] = useState<string | null>(null);

  const change = async (next: Locale) => {
    setLocale(next);
    setSaveError(null);
    if (state.status !== 'signedIn') return;
    try {
      updateMe(await saveLocale(next));
    } catch (error) {
      setSaveError(t('language.saveFailed', { message: error instanceof ApiError ? error.message : String(error) }));
    }
  };

  return (
    <span className="language-switch">
      <select
        aria-label={t('language.label')}
        data-testid="language-switch"
        value={locale}
        onChange={(event) => isLocale(event.target.value) && void change(event.target.value)}
      >
        {locales.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
      {saveError && (
        <span className="language-error" role="alert">
          {saveError}
        </span>
      )}
    </span>
  );
}
