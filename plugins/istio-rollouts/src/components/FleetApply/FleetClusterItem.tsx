import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import {
  CanaryVerdict,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import Alert from '@material-ui/lab/Alert';
import { ComponentType, ReactNode, useId } from 'react';
import { messageOf } from '../../lib/errors';
import { FleetTarget } from '../../lib/fleet';
import { ActionPreview } from '../ConfirmActionDialog/ActionPreview';
import { CanaryVerdictChip } from '../CanaryVerdictChip';
import { FleetDryRun, FleetStep } from './useFleetApply';

const useStyles = makeStyles((theme: Theme) => ({
  item: {
    padding: theme.spacing(2, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
    minWidth: 0,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
  },
  name: {
    flex: '1 1 auto',
    overflowWrap: 'anywhere',
  },
  moves: {
    display: 'flex',
    marginLeft: 'auto',
  },
  verdict: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  alert: {
    marginTop: theme.spacing(1),
  },
}));

type StatusComponent = ComponentType<{
  children?: ReactNode;
  'aria-hidden'?: boolean;
  'aria-label'?: string;
}>;

/** Where one cluster stands, in words, with the icon Backstage shows for it. */
export function clusterStatus(args: {
  dryRun?: FleetDryRun;
  step?: FleetStep;
  /** Its place among the clusters that will be changed; undefined when left out. */
  position?: number;
  total: number;
  /** The run has ended. */
  finished: boolean;
}): { text: string; Icon: StatusComponent } {
  const { dryRun, step, position, total, finished } = args;
  if (step?.status === 'applying')
    return { text: 'Applying…', Icon: StatusRunning };
  if (step?.status === 'applied') return { text: 'Changed', Icon: StatusOK };
  if (step?.status === 'failed') {
    return { text: 'Failed: not changed', Icon: StatusError };
  }
  if (finished && position !== undefined) {
    return { text: 'Not changed: stopped before it', Icon: StatusAborted };
  }
  if (!dryRun || dryRun.state === 'loading') {
    return { text: 'Dry run…', Icon: StatusPending };
  }
  if (dryRun.state === 'error') {
    return { text: 'Left out: the dry run failed', Icon: StatusError };
  }
  if (!dryRun.response.changed) {
    return { text: 'Left out: nothing to change', Icon: StatusAborted };
  }
  return { text: `Step ${position} of ${total}`, Icon: StatusPending };
}

export interface FleetClusterItemProps {
  target: FleetTarget;
  dryRun?: FleetDryRun;
  step?: FleetStep;
  position?: number;
  total: number;
  finished: boolean;
  /** The order can no longer change: applying, or applied. */
  locked: boolean;
  first: boolean;
  last: boolean;
  onMove: (by: -1 | 1) => void;
  /** For a promotion: the server's verdict on the route's canary in this cluster. */
  verdict?: CanaryVerdict;
}

/**
 * One cluster of a fleet change: where it stands (dry run, step n of N, left
 * out and why, applied, failed), buttons to move it up or down the order,
 * and its own preview from its own dry run.
 */
export const FleetClusterItem = ({
  target,
  dryRun,
  step,
  position,
  total,
  finished,
  locked,
  first,
  last,
  onMove,
  verdict,
}: FleetClusterItemProps) => {
  const classes = useStyles();
  const headingId = useId();
  const { cluster } = target;
  const { text, Icon } = clusterStatus({
    dryRun,
    step,
    position,
    total,
    finished,
  });
  return (
    <li className={classes.item} aria-labelledby={headingId}>
      <div className={classes.header}>
        <Typography
          variant="subtitle1"
          component="h3"
          id={headingId}
          className={classes.name}
        >
          {cluster}
          {target.origin ? ' (where you started)' : ''}
        </Typography>
        <Typography variant="body2" component="span">
          {/* Backstage hides its status from screen readers: this one is the row's state. */}
          <Icon aria-hidden={false} aria-label={undefined}>
            {text}
          </Icon>
        </Typography>
        <span className={classes.moves}>
          <IconButton
            size="small"
            aria-label={`Move ${cluster} up`}
            disabled={locked || first}
            onClick={() => onMove(-1)}
          >
            <ArrowUpwardIcon fontSize="small" />
          </IconButton>
          <IconButton
            size="small"
            aria-label={`Move ${cluster} down`}
            disabled={locked || last}
            onClick={() => onMove(1)}
          >
            <ArrowDownwardIcon fontSize="small" />
          </IconButton>
        </span>
      </div>
      <Typography variant="body2" color="textSecondary">
        {target.rollout.namespace}/{target.rollout.name}, route{' '}
        {routeLabel(target.route)} · resourceVersion{' '}
        {target.request.resourceVersion}
      </Typography>
      {verdict && (
        <div className={classes.verdict}>
          <Typography variant="body2" component="span">
            Canary health of {verdict.canary} (vs {verdict.stable}):
          </Typography>
          <CanaryVerdictChip verdict={verdict} />
        </div>
      )}
      {step?.status === 'failed' && (
        <Alert severity="error" className={classes.alert}>
          {messageOf(step.error)}
        </Alert>
      )}
      {dryRun?.state === 'error' && (
        <Alert severity="error" className={classes.alert}>
          The dry run in {cluster} failed, so it is left out:{' '}
          {messageOf(dryRun.error)}
        </Alert>
      )}
      {dryRun?.state === 'ready' && (
        <ActionPreview
          response={dryRun.response}
          headingLevel={4}
          bars={false}
          cluster={cluster}
        />
      )}
    </li>
  );
};
