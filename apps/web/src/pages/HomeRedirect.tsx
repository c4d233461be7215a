import { Navigate } from 'react-router-dom';
import { FullPageSpinner } from '../components/ui';
import { pickOrg, readLastOrg } from '../lib/navigation';
import { useSession } from '../session';

/** `/`: opens the organization looked at last (or the first one); people without one create one. */
export default function HomeRedirect() {
  const { me } = useSession();
  if (!me) return <FullPageSpinner />;
  const org = pickOrg(me.memberships, undefined, readLastOrg());
  return <Navigate to={org ? `/o/${org.orgId}` : '/orgs/new'} replace />;
}
