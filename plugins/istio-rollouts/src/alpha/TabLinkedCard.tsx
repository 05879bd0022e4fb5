import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityIstioRolloutsCard } from '../components/EntityIstioRolloutsCard';
import { rolloutsTabRouteRef } from './routes';

/** The overview card, linking to the tab where the app mounts it (no link when the app has no tab). */
export const TabLinkedCard = () => {
  const tabLink = useRouteRef(rolloutsTabRouteRef);
  return <EntityIstioRolloutsCard tabLink={tabLink ? tabLink() : null} />;
};
