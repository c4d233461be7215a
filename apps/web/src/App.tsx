import { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { PAGES, type PageRoute } from './routes';
import { useSession } from './session';
import { AppShell } from './components/AppShell';
import { FullPageSpinner } from './components/ui';
import { NotFoundPage } from './pages/NotFoundPage';

function Guarded({ page }: { page: PageRoute }) {
  const { me } = useSession();
  const location = useLocation();
  if (page.access === 'signed-in') {
    if (me === undefined) return <FullPageSpinner />;
    if (me === null) {
      const next = encodeURIComponent(location.pathname + location.search);
      return <Navigate to={`/sign-in?next=${next}`} replace />;
    }
  }
  const Page = page.component;
  const content = (
    <Suspense fallback={<FullPageSpinner />}>
      <Page />
    </Suspense>
  );
  return page.shell ? <AppShell>{content}</AppShell> : content;
}

/** The web app: every page of PAGES, signed-in pages inside the app shell. */
export function App() {
  return (
    <Routes>
      {PAGES.map((p) => (
        <Route key={p.path} path={p.path} element={<Guarded page={p} />} />
      ))}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
