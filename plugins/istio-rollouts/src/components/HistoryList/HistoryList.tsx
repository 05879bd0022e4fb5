import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import {
  HistoryEvent,
  HistoryEventStatus,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { istioRolloutsApiRef } from '../../api';
import { ACTION_LABELS } from '../../lib/actions';
import { messageOf } from '../../lib/errors';
import { exactTime, relativeTime } from '../../lib/relativeTime';
import { formatStanzaSplit } from '../../lib/split';

const useStyles = makeStyles((theme: Theme) => ({
  time: {
    whiteSpace: 'nowrap',
    borderBottom: `1px dotted ${theme.palette.text.secondary}`,
    cursor: 'help',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  more: {
    marginTop: theme.spacing(1),
  },
  status: {
    marginLeft: theme.spacing(1),
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

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

function actorName(actor: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(actor), { defaultKind: 'user' });
  } catch {
    return actor;
  }
}

export interface HistoryListProps {
  entityRef: CompoundEntityRef;
  /** Reloads the newest page when it changes, e.g. after an action. */
  refreshKey?: number;
  pageSize?: number;
}

/**
 * The latest changes made to the entity's rollouts through Backstage: who,
 * when (relative, exact on hover or focus), what (marked when it is not known
 * to be applied), the split before → after and the reason; older pages on
 * demand.
 */
export const HistoryList = ({
  entityRef,
  refreshKey = 0,
  pageSize = 10,
}: HistoryListProps) => {
  const classes = useStyles();
  const api = useApi(istioRolloutsApiRef);
  const ref = stringifyEntityRef(entityRef);
  const [events, setEvents] = useState<HistoryEvent[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [now, setNow] = useState(() => new Date());
  useInterval(() => setNow(new Date()), 30_000);

  useEffect(() => {
    let cancelled = false;
    api
      .getHistory(entityRef, { limit: pageSize })
      .then(page => {
        if (cancelled) return;
        setEvents(page.events);
        setCursor(page.nextCursor);
        setError(undefined);
        setNow(new Date());
      })
      .catch(e => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, ref, refreshKey, pageSize]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.getHistory(entityRef, { limit: pageSize, cursor });
      setEvents(prev => [...(prev ?? []), ...page.events]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, ref, cursor, pageSize]);

  let content;
  if (error && !events) {
    content = (
      <Alert severity="warning">
        The history could not be read: {messageOf(error)}
      </Alert>
    );
  } else if (!events) {
    content = <Progress />;
  } else if (events.length === 0) {
    content = (
      <Typography variant="body2" className={classes.muted}>
        No change has been made through Backstage yet. Changes made here are
        listed with who made them, when and why.
      </Typography>
    );
  } else {
    content = (
      <>
        <Table size="small" aria-label="History">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>What</TableCell>
              <TableCell>Before → after</TableCell>
              <TableCell>Reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.map(event => (
              <TableRow key={event.id}>
                <TableCell>
                  <Tooltip title={exactTime(event.createdAt)}>
                    <time dateTime={event.createdAt} className={classes.time}>
                      {relativeTime(event.createdAt, now)}
                    </time>
                  </Tooltip>
                  <span className={classes.visuallyHidden}>
                    {' '}
                    ({exactTime(event.createdAt)})
                  </span>
                </TableCell>
                <TableCell title={event.actor}>
                  {actorName(event.actor)}
                </TableCell>
                <TableCell>
                  {/* A div: the chip is one, and a p may not hold it. */}
                  <Typography variant="body2" component="div">
                    {ACTION_LABELS[event.action] ?? event.action}
                    <StatusChip status={event.status} />
                  </Typography>
                  <Typography variant="caption" className={classes.muted}>
                    {event.cluster} · {event.namespace}/{event.virtualService} ·{' '}
                    {routeLabel(event.route)}
                  </Typography>
                </TableCell>
                <TableCell title={event.summary}>
                  {formatStanzaSplit(event.before)} →{' '}
                  {formatStanzaSplit(event.after)}
                  {event.warning && (
                    <Typography
                      variant="caption"
                      component="div"
                      className={classes.muted}
                    >
                      {event.warning}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {event.reason ?? <span className={classes.muted}>—</span>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {error ? (
          <Alert severity="warning" className={classes.more}>
            {messageOf(error)}
          </Alert>
        ) : null}
        {cursor && (
          <Button
            className={classes.more}
            onClick={loadMore}
            disabled={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Show older changes'}
          </Button>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="History"
      subheader="Changes made through Backstage, newest first"
    >
      {content}
    </InfoCard>
  );
};
