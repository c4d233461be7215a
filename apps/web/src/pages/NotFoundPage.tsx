import { Link } from 'react-router-dom';
import { useT } from '../i18n/I18nProvider';

/** Shown for any address the app does not know. */
export function NotFoundPage() {
  const t = useT();
  return (
    <main className="center-page">
      <h1>404</h1>
      <p>{t('common.notFound')}</p>
      <Link to="/">{t('common.back')}</Link>
    </main>
  );
}
