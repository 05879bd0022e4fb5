import { useEntity } from '@backstage/plugin-catalog-react';
import { isIstioRolloutsAvailable } from '../../annotations';
import { EntityAccessProvider } from '../../hooks/entityAccess';
import { RolloutsView } from '../RolloutsView';
import { SetUpEntityState } from '../SetUpEntityState';

/** Props of the Rollouts tab. @public */
export interface EntityIstioRolloutsContentProps {
  /**
   * How often the tab reads the rollouts again while open, in ms (default 5000; null: never). The canary health is
   * read every 15 s, and never when this is null.
   */
  pollIntervalMs?: number | null;
  /**
   * A link to the plugin's "Set up an entity" docs, shown on the tab of an entity without the Kubernetes
   * annotations (e.g. the README in your repository); without it the tab names the README section.
   */
  setupDocsUrl?: string;
}

/** The Rollouts tab: the entity's Istio rollouts, or how to set the entity up. */
export const EntityIstioRolloutsContent = (
  props: EntityIstioRolloutsContentProps,
) => {
  const { entity } = useEntity();

  if (!isIstioRolloutsAvailable(entity)) {
    // The plugin's own help rather than Backstage's generic one: which
    // annotation, which objects to label, prefilled with this entity's name.
    return (
      <SetUpEntityState entity={entity} setupDocsUrl={props.setupDocsUrl} />
    );
  }

  // The owners, read from the catalog once for the whole tab, name whom to
  // ask on every locked control.
  return (
    <EntityAccessProvider entity={entity}>
      <RolloutsView entity={entity} pollIntervalMs={props.pollIntervalMs} />
    </EntityAccessProvider>
  );
};
