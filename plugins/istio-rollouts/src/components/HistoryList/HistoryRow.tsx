import {
  ActionRequest,
  HistoryAction,
  HistoryEvent,
  HistoryEventStatus,
  Rollout,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import HistoryIcon from '@material-ui/icons/History';
import { useEntityAccessContext } from '../../hooks/entityAccess';
import { ACTION_LABELS, disabledReason } from '../../lib/actions';
import { actorName } from '../../lib/actorName';
import { exactTime, relativeTime } from '../../lib/relativeTime';
import { formatStanzaSplit } from '../../lib/split';
import { GatedButton } from '../ActionButtons';
import { GitOpsLink } from '../GitOpsLink';
import { revertOffer } from './revertOffer';
import { visuallyHidden } from '../../lib/visuallyHidden';

const useStyles = makeStyles((theme: Theme) => ({
  time: {
    whiteSpace: 'nowrap',
    borderBottom: `1px dotted ${theme.palette.text.secondary}`,
    cursor: 'help',
  },
  // A name is one word: never `gue/st` when the other columns are long.
  actor: {
    whiteSpace: 'nowrap',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  status: {
    marginLeft: theme.spacing(1),
  },
  revert: {
    marginTop: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  visuallyHidden,
}));

/** What a history row says it did. */
export function actionLabel(action: HistoryAction): string {
  if (action === 'outsideChange') return 'Changed outside Backstage';
  return ACTION_LABELS[action] ?? action;
}

/** How a change that is not (known to be) applied is marked, and why. */
const STATUS_LABELS: Record<
  Exclude<HistoryEventStatus, 'applied'>,
  { label: string; title: string }
> = {
  pending: {
    label: 'pending — outcome not known yet',
    title:
      'Recorded before it was sent to the cluster; checked against the cluster when the rollout is read next.',
  },
  refused: {
    label: 'refused by the cluster',
    title: 'The cluster refused the change: nothing was changed.',
  },
  failed: {
    label: 'failed',
    title: 'The change did not reach the cluster: nothing was changed.',
  },
  unknown: {
    label: 'outcome unknown',
    title:
      'Whether the change reached the cluster could not be told; checked again when the rollout is read next.',
  },
  proposed: {
    label: 'proposed in Git',
    title:
      'Committed to the repository Argo CD or Flux syncs: it reaches the cluster once merged and synced.',
  },
};

/** A chip for a change that is not applied; nothing for an applied one (or from a backend without outcomes). */
const StatusChip = ({ status }: { status?: HistoryEventStatus }) => {
  const classes = useStyles();
  if (!status || status === 'applied') return null;
  const known = STATUS_LABELS[status];
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.status}
      label={known?.label ?? status}
      title={known?.title}
    />
  );
};

/** Where a change made through Git is, and who applies it (or applied it, once the cluster showed it). */
const GitOpsWhere = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  if (!event.gitops) return null;
  return (
    <Typography variant="caption" component="div" className={classes.muted}>
      <GitOpsLink link={event.gitops} /> · {event.gitops.managedBy}{' '}
      {event.status === 'applied'
        ? 'applied it from Git'
        : 'applies it once merged'}
    </Typography>
  );
};

/** Who made the change: the user, or for an outside change the field manager, if the cluster said. */
const Who = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  if (event.action !== 'outsideChange') {
    return (
      <TableCell className={classes.actor} title={event.actor}>
        {actorName(event.actor)}
        {/* A plan's change: the actor is the user the plan acts as. */}
        {event.plan && (
          <Typography
            variant="caption"
            component="div"
            className={classes.muted}
          >
            plan #{event.plan.id} · step {event.plan.step + 1}
          </Typography>
        )}
        {/* An agent's change, through the actions registry (MCP): which tool. */}
        {event.channel && (
          <Typography
            variant="caption"
            component="div"
            className={classes.muted}
            title="Made through Backstage's actions registry, e.g. by an AI assistant over MCP"
          >
            via {event.channel.replace(/^istio-rollouts:/, '')} (agent)
          </Typography>
        )}
      </TableCell>
    );
  }
  const by = event.outside?.by;
  return (
    <TableCell className={classes.actor}>
      {by ? (
        <span title="Field manager in the VirtualService’s managedFields">
          {by}
        </span>
      ) : (
        <span
          className={classes.muted}
          title="The VirtualService’s managedFields don’t say who"
        >
          unknown
        </span>
      )}
    </TableCell>
  );
};

/** "Revert to this": the row's split as a setWeights, through the page's confirmation. */
const RevertButton = ({
  event,
  rollouts,
  onAction,
}: {
  event: HistoryEvent;
  rollouts: Rollout[];
  onAction: (request: ActionRequest) => void;
}) => {
  const classes = useStyles();
  const access = useEntityAccessContext();
  const offer = revertOffer(event, rollouts, rollout =>
    disabledReason(rollout, 'setWeights', access),
  );
  if (!offer) return null;
  const split = formatStanzaSplit(event.after);
  return (
    <div className={classes.revert}>
      <GatedButton reason={offer.reason}>
        <Button
          size="small"
          startIcon={<HistoryIcon fontSize="small" />}
          disabled={!offer.request}
          aria-label={`Revert to this: ${split}`}
          onClick={() => offer.request && onAction(offer.request)}
        >
          Revert to this
        </Button>
      </GatedButton>
    </div>
  );
};

export interface HistoryRowProps {
  event: HistoryEvent;
  now: Date;
  /** The rollouts as last read: "Revert to this" is offered against them. */
  rollouts?: Rollout[];
  onAction?: (request: ActionRequest) => void;
}

/** One change in the history: when, who, what, the split before → after, why. */
export const HistoryRow = ({
  event,
  now,
  rollouts,
  onAction,
}: HistoryRowProps) => {
  const classes = useStyles();
  const outside = event.action === 'outsideChange' ? event.outside : undefined;
  // An outside change happened when its managedFields say; it was found later.
  const when = outside?.changedAt ?? event.createdAt;
  const exact = outside
    ? `${exactTime(when)}; found ${exactTime(event.createdAt)}`
    : exactTime(when);
  return (
    <TableRow>
      <TableCell>
        <Tooltip title={exact}>
          <time dateTime={when} className={classes.time}>
            {relativeTime(when, now)}
          </time>
        </Tooltip>
        <span className={classes.visuallyHidden}> ({exact})</span>
      </TableCell>
      <Who event={event} />
      <TableCell>
        {/* A div: the chip is one, and a p may not hold it. */}
        <Typography variant="body2" component="div">
          {actionLabel(event.action)}
          <StatusChip status={event.status} />
        </Typography>
        <Typography variant="caption" className={classes.muted}>
          {event.cluster} · {event.namespace}/{event.virtualService} ·{' '}
          {routeLabel(event.route)}
          {outside && ` · resourceVersion ${outside.resourceVersion}`}
        </Typography>
      </TableCell>
      <TableCell title={event.summary}>
        {formatStanzaSplit(event.before)} → {formatStanzaSplit(event.after)}
        {event.warning && (
          <Typography
            variant="caption"
            component="div"
            className={classes.muted}
          >
            {event.warning}
          </Typography>
        )}
        <GitOpsWhere event={event} />
        {rollouts && onAction && (
          <RevertButton event={event} rollouts={rollouts} onAction={onAction} />
        )}
      </TableCell>
      <TableCell>
        {event.reason ?? <span className={classes.muted}>—</span>}
      </TableCell>
    </TableRow>
  );
};
