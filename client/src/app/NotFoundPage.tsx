import { useI18n } from '../i18n';
import { Link } from './router';

/** Any path the client does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="page" data-testid="not-found">
      <h1>{t('notFound.title')}</h1>
      <Link to="/">{t('common.backHome')}</Link>
    </section>
  );
}
