import { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import Paper from '@material-ui/core/Paper';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useId } from 'react';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '../../annotations';
import {
  annotationSnippet,
  namespaceAnnotationLine,
  selectorAnnotationLine,
} from '../../lib/setup';
import { CopyableSnippet, LabelObjects } from './LabelObjects';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    padding: theme.spacing(3),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    maxWidth: theme.spacing(110),
  },
  steps: {
    margin: 0,
    paddingLeft: theme.spacing(3),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(3),
  },
  step: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    // Long annotations and commands wrap instead of widening the page on a phone.
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
}));

export interface SetUpEntityStateProps {
  entity: Entity;
  /** Where the plugin's "Set up an entity" docs are; without it the help names the README section. */
  setupDocsUrl?: string;
}

/**
 * The tab of an entity without the Kubernetes annotations: what to add to its
 * catalog-info.yaml and which label to put on which Istio objects, with
 * copyable snippets prefilled with the entity's name.
 */
export const SetUpEntityState = ({
  entity,
  setupDocsUrl,
}: SetUpEntityStateProps) => {
  const classes = useStyles();
  const id = useId();
  const name = entity.metadata.name;
  const title = entity.metadata.title || name;
  const label = { key: KUBERNETES_ID_ANNOTATION, value: name };
  return (
    <Paper component="section" aria-labelledby={id} className={classes.root}>
      <Typography variant="h5" component="h2" id={id}>
        Set up {title} for the Rollouts tab
      </Typography>
      <Typography variant="body1">
        This tab shows an entity’s Istio canaries and blue/green releases in
        every cluster, with controls to move their traffic, once the entity says
        how to find its Kubernetes objects. {title} has neither{' '}
        <code>{KUBERNETES_ID_ANNOTATION}</code> nor{' '}
        <code>{KUBERNETES_LABEL_SELECTOR_ANNOTATION}</code> yet.
      </Typography>
      <ol className={classes.steps}>
        <li className={classes.step}>
          <Typography variant="h6" component="h3">
            Annotate the entity in its catalog-info.yaml
          </Typography>
          <CopyableSnippet
            label="Annotation in catalog-info.yaml"
            text={annotationSnippet(name)}
          />
          <Typography variant="body2">
            Optional: add <code>{namespaceAnnotationLine()}</code> to look in
            one namespace only. If the objects already share labels, use{' '}
            <code>{selectorAnnotationLine(name)}</code> instead (a selector
            needs at least one <code>key=value</code>) and skip the next step.
          </Typography>
        </li>
        <li className={classes.step}>
          <Typography variant="h6" component="h3">
            Label its Istio objects in every cluster
          </Typography>
          <Typography variant="body2">
            Put the label{' '}
            <code>
              {label.key}={label.value}
            </code>{' '}
            on:
          </Typography>
          <LabelObjects label={label} />
        </li>
        <li className={classes.step}>
          <Typography variant="h6" component="h3">
            Let the catalog read it
          </Typography>
          <Typography variant="body2">
            After the catalog’s next refresh of {title}, this tab shows its
            VirtualServices in every cluster, or which label it looked for when
            it finds none.
          </Typography>
        </li>
      </ol>
      <Typography variant="body2">
        {setupDocsUrl ? (
          <Link to={setupDocsUrl}>
            More in the plugin’s README: Set up an entity
          </Link>
        ) : (
          <>
            More in the README of <code>@internal/plugin-istio-rollouts</code>,
            “Set up an entity”.
          </>
        )}
      </Typography>
    </Paper>
  );
};
