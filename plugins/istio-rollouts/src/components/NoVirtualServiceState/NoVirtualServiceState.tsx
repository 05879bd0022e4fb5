import { EmptyState } from '@backstage/core-components';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { EntitySelector } from '../../lib/selector';

const useStyles = makeStyles((theme: Theme) => ({
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    maxWidth: theme.spacing(90),
  },
  code: {
    margin: 0,
    padding: theme.spacing(1.5),
    fontFamily: 'monospace',
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    overflowX: 'auto',
  },
}));

/**
 * The entity is annotated but no cluster has a VirtualService for it: which
 * label to put on which objects.
 */
export const NoVirtualServiceState = ({
  selector,
}: {
  selector: EntitySelector;
}) => {
  const classes = useStyles();
  const snippet = selector.label
    ? `metadata:\n  labels:\n    ${selector.label.key}: ${selector.label.value}`
    : undefined;
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
            Put the label on each of these objects, in every cluster:
          </Typography>
          <Typography variant="body2" component="ul">
            <li>
              the <strong>VirtualService</strong> whose routes you release with
              — each one becomes a card on this tab;
            </li>
            <li>
              the <strong>DestinationRules</strong> of its hosts — they define
              the subsets (v1, v2, blue, green…);
            </li>
            <li>
              the <strong>Deployments</strong> behind the subsets, and the{' '}
              <strong>Services</strong> of the hosts — for images and ready
              pods.
            </li>
          </Typography>
          {snippet && <pre className={classes.code}>{snippet}</pre>}
        </div>
      }
    />
  );
};
