import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  isIstioRolloutsAvailable,
  KUBERNETES_ID_ANNOTATION,
} from '../../annotations';
import { RolloutsView } from '../RolloutsView';

/** Props of the Rollouts tab. @public */
export interface EntityIstioRolloutsContentProps {
  /**
   * How often the tab reads the rollouts again while open, in ms (default 5000; null: never). The canary health is
   * read every 15 s, and never when this is null.
   */
  pollIntervalMs?: number | null;
}

/** The Rollouts tab: the entity's Istio rollouts, or how to set the entity up. */
export const EntityIstioRolloutsContent = (
  props: EntityIstioRolloutsContentProps,
) => {
  const { entity } = useEntity();

  if (!isIstioRolloutsAvailable(entity)) {
    // Suggest the simpler of the two annotations; the label selector one is for
    // objects that don't carry the kubernetes-id label.
    return (
      <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />
    );
  }

  return <RolloutsView entity={entity} pollIntervalMs={props.pollIntervalMs} />;
};
