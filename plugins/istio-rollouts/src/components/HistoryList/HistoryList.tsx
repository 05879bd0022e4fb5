import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ActionRequest,
  HistoryEvent,
  Rollout,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { istioRolloutsApiRef } from '../../api';
import { messageOf } from '../../lib/errors';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { HistoryRow } from './HistoryRow';

const useStyles = makeStyles((theme: Theme) => ({
  muted: {
    color: theme.palette.text.secondary,
  },
  more: {
    marginTop: theme.spacing(1),
  },
  // On a phone the table scrolls sideways inside the card, never the page.
  scroll: {
    overflowX: 'auto',
    // Keeps visually hidden text (absolutely positioned) inside the scroll box.
    position: 'relative',
  },
}));

export interface HistoryListProps {
  entityRef: CompoundEntityRef;
  /** Reloads the newest page when it changes, e.g. after an action. */
  refreshKey?: number;
  pageSize?: number;
  /**
   * The rollouts as last read: with them (and `onApplied`), each row offers
   * "Revert to this", confirmed like every action.
   */
  rollouts?: Rollout[];
  /** A revert was applied: the answer carries the rollout read back. */
  onApplied?: (response: RolloutActionResponse) => void;
  /** The VirtualService changed since it was loaded: reload it. */
  onConflict?: () => void;
}

/**
 * The latest changes of the entity's rollouts: those made through Backstage
 * and those a read found made outside it. Who, when (relative, exact on hover
 * or focus), what (marked when it is not known to be applied), the split
 * before → after with "Revert to this", and the reason; older pages on demand.
 */
export const HistoryList = ({
  entityRef,
  refreshKey = 0,
  pageSize = 10,
  rollouts,
  onApplied,
  onConflict,
}: HistoryListProps) => {
  const classes = useStyles();
  const api = useApi(istioRolloutsApiRef);
  const ref = stringifyEntityRef(entityRef);
  const [events, setEvents] = useState<HistoryEvent[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [now, setNow] = useState(() => new Date());
  // "Revert to this" asks for a setWeights: the confirmation runs its dry run.
  const [intent, setIntent] = useState<ActionRequest>();
  const target = intent && rollouts?.find(r => r.id === intent.rolloutId);
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
        {/* Focusable, so the sideways scroll works from the keyboard too. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
        <div className={classes.scroll} tabIndex={0}>
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
                <HistoryRow
                  key={event.id}
                  event={event}
                  now={now}
                  rollouts={rollouts}
                  onAction={onApplied && setIntent}
                />
              ))}
            </TableBody>
          </Table>
        </div>
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

  const dialog = target && onApplied && (
    <ConfirmActionDialog
      entityRef={entityRef}
      rollout={target}
      intent={intent}
      onClose={() => setIntent(undefined)}
      onConflict={() => onConflict?.()}
      onApplied={response => {
        setIntent(undefined);
        onApplied(response);
      }}
    />
  );

  return (
    <InfoCard
      title="History"
      subheader="Changes made through Backstage, and those found made outside it, newest first"
    >
      {content}
      {dialog}
    </InfoCard>
  );
};
