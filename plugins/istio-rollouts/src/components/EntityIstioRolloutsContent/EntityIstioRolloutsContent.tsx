import {
  Content,
  ContentHeader,
  InfoCard,
  MissingAnnotationEmptyState,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  isIstioRolloutsAvailable,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '../../annotations';

/** The Rollouts tab. */
export const EntityIstioRolloutsContent = () => {
  const { entity } = useEntity();

  if (!isIstioRolloutsAvailable(entity)) {
    // Suggest the simpler of the two annotations; the label selector one is for
    // objects that don't carry the kubernetes-id label.
    return (
      <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />
    );
  }

  const annotations = entity.metadata.annotations ?? {};
  const selector =
    annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION] ??
    `${KUBERNETES_ID_ANNOTATION}=${annotations[KUBERNETES_ID_ANNOTATION]}`;

  return (
    <Content>
      <ContentHeader title="Rollouts" />
      <InfoCard title="Istio traffic">
        <Typography variant="body1">
          VirtualServices and DestinationRules labelled <code>{selector}</code>,
          in every cluster.
        </Typography>
      </InfoCard>
    </Content>
  );
};
