import { EmptyState } from '@backstage/core-components';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { EntitySelector } from '../../lib/selector';
import { LabelObjects } from '../SetUpEntityState';

const useStyles = makeStyles((theme: Theme) => ({
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    maxWidth: theme.spacing(90),
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
}));

/**
 * The entity is annotated but no cluster has a VirtualService for it: which
 * label to put on which objects, with copyable snippets.
 */
export const NoVirtualServiceState = ({
  selector,
}: {
  selector: EntitySelector;
}) => {
  const classes = useStyles();
  return (
    <EmptyState
      missing="data"
      title="No VirtualService found for this entity"
      description={
        <>
          No cluster has an Istio VirtualService labelled{' '}
          <code>{selector.selector}</code>
          {selector.namespace ? ` in namespace ${selector.namespace}` : ''}.
        </>
      }
      action={
        <div className={classes.body}>
          <Typography variant="body1">
            {selector.label
              ? 'Put the label on each of these objects, in every cluster:'
              : 'Give each of these objects labels the selector matches, in every cluster:'}
          </Typography>
          <LabelObjects label={selector.label} namespace={selector.namespace} />
        </div>
      }
    />
  );
};
