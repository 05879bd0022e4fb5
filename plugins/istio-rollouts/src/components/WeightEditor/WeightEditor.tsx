import { Route, routeLabel } from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  CANDIDATE_STEPS,
  isValidSplit,
  normalizeTo100,
  parseWeightInput,
  rebalance,
  totalOf,
  weightLimit,
  WeightEntry,
} from '../../lib/rebalance';
import {
  compareSplits,
  destinationChanges,
  Rebased,
  rebasedText,
  rebaseEntries,
} from '../../lib/rebase';
import { destinationKey } from '../../lib/split';
import { RouteTrafficBar } from '../RouteTrafficBar';
import { RebaseNotice } from './RebaseNotice';
import { errorText, WeightRow } from './WeightRow';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    padding: theme.spacing(2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  steps: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  step: {
    minWidth: theme.spacing(7),
  },
  footer: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  total: {
    marginRight: 'auto',
  },
  totalBad: {
    marginRight: 'auto',
    color: errorText(theme),
  },
}));

function initialEntries(route: Route): WeightEntry[] {
  const weights = normalizeTo100(route.destinations.map(d => d.weight));
  // The names the server takes in `weights`, as it offers them.
  const keys = route.offers.setWeights?.keys;
  return route.destinations.map((d, i) => ({
    key: keys?.[i] ?? destinationKey(d),
    weight: weights[i],
  }));
}

export interface WeightEditorProps {
  route: Route;
  /** The VirtualService's resourceVersion as last read: the route's version. */
  resourceVersion: string;
  /**
   * Goes on to the confirmation with the new weights, keyed by subset (or
   * host), and the resourceVersion they were drafted on (for the guarded dry run).
   */
  onReview: (weights: Record<string, number>, resourceVersion: string) => void;
  onCancel: () => void;
}

/**
 * A slider and a number field per destination that keep the total at 100:
 * moving one rebalances the unlocked others (see `rebalance`), and the
 * candidate gets quick steps. The editor keeps its own copy of the weights
 * and the resourceVersion they were drafted on, so a refresh never resets an
 * edit. When the VirtualService changed meanwhile, Review is off at the old
 * version: the user sees the new split beside theirs and carries their
 * weights over (or starts from the new split) explicitly, then reviews anew.
 */
export const WeightEditor = ({
  route,
  resourceVersion,
  onReview,
  onCancel,
}: WeightEditorProps) => {
  const classes = useStyles();
  const messageId = useId();
  // The version the draft is made on, and the split it started from.
  const [base, setBase] = useState(() => ({
    resourceVersion,
    entries: initialEntries(route),
  }));
  const [entries, setEntries] = useState<WeightEntry[]>(base.entries);
  const [rebased, setRebased] = useState<Rebased>();
  const reviewButton = useRef<HTMLButtonElement>(null);
  const rebasedNote = useRef<HTMLDivElement>(null);
  // Rebalancing starts from the weights as they were when the user took hold
  // of a destination, so dragging back and forth returns to where it began.
  const interaction = useRef<{ key: string; base: WeightEntry[] } | undefined>(
    undefined,
  );

  // What a field shows while it is being typed in, and why it is not a weight yet.
  const [drafts, setDrafts] = useState<
    Record<string, { text: string; error?: string }>
  >({});

  // The server's promote target; in a two-way split, the other side.
  const candidate = useMemo(() => {
    const target = route.offers.promote?.subset;
    return target ?? (entries.length === 2 ? entries[1].key : undefined);
  }, [route, entries]);

  const stale = resourceVersion !== base.resourceVersion;
  const now = useMemo(() => initialEntries(route), [route]);
  const move = stale ? compareSplits(base.entries, entries, now) : undefined;

  // The notice that held the rebase buttons is gone: focus goes on to Review,
  // or to what the rebase did when there is nothing to review.
  useEffect(() => {
    if (!rebased) return;
    if (reviewButton.current && !reviewButton.current.disabled) {
      reviewButton.current.focus();
    } else {
      rebasedNote.current?.focus();
    }
  }, [rebased]);

  const setWeight = (key: string, value: number) => {
    if (interaction.current?.key !== key) {
      interaction.current = { key, base: entries };
    }
    const start = interaction.current.base.map(b => ({
      ...b,
      locked: entries.find(e => e.key === b.key)?.locked,
    }));
    setEntries(rebalance(start, key, value, candidate));
  };

  const typeWeight = (key: string, text: string) => {
    const locked = entries.filter(e => e.key !== key && e.locked);
    const parsed = parseWeightInput(
      text,
      weightLimit(entries, key),
      locked.length
        ? ` while ${locked
            .map(e => `${e.key} is locked at ${e.weight}%`)
            .join(' and ')}`
        : '',
    );
    if ('error' in parsed) {
      setDrafts(prev => ({ ...prev, [key]: { text, error: parsed.error } }));
      return;
    }
    // Shown as the number it is: `095` becomes 95.
    setDrafts(prev => ({ ...prev, [key]: { text: String(parsed.weight) } }));
    setWeight(key, parsed.weight);
  };

  const settle = (key: string) => {
    interaction.current = undefined;
    setDrafts(prev => {
      if (!prev[key] || prev[key].error) return prev;
      const { [key]: _settled, ...rest } = prev;
      return rest;
    });
  };

  const toggleLock = (key: string) => {
    interaction.current = undefined;
    setDrafts({});
    setEntries(prev =>
      prev.map(e => (e.key === key ? { ...e, locked: !e.locked } : e)),
    );
  };

  // The rest moves among the destinations that carry traffic, as a slider would.
  const applyStep = (percent: number) => {
    if (!candidate) return;
    interaction.current = undefined;
    setDrafts({});
    setEntries(prev => rebalance(prev, candidate, percent, candidate));
  };

  // Adopts the route's current version: with the draft's weights when the
  // destinations are the same (`keep`), else with the new split.
  const adopt = (keep: boolean) => {
    const next = keep
      ? rebaseEntries(entries, now)
      : { entries: now, kept: false };
    interaction.current = undefined;
    setDrafts({});
    setEntries(next.entries);
    setBase({ resourceVersion, entries: now });
    setRebased({
      to: resourceVersion,
      kept: next.kept,
      changes:
        keep && !next.kept && move ? destinationChanges(move) : undefined,
      alreadyMine: next.kept && move?.alreadyMine,
    });
  };

  const weights = entries.map(e => e.weight);
  const total = totalOf(weights);
  const typing = Object.values(drafts).some(d => d.error);
  const splitOk = isValidSplit(weights);
  const valid = splitOk && !typing;
  const unchanged = entries.every(
    (e, i) => e.weight === route.destinations[i]?.weight,
  );
  const lockable = entries.length > 2;
  // Named by the draft's keys, so a route that changed underneath can't
  // mislabel it (the bar reads only a destination's name and weight).
  const preview = entries.map(e => ({ host: e.key, weight: e.weight }));

  return (
    <section
      className={classes.root}
      aria-label={`New weights of ${routeLabel(route)}`}
    >
      {move && (
        <RebaseNotice
          move={move}
          from={base.resourceVersion}
          to={resourceVersion}
          messageId={messageId}
          onRebase={() => adopt(true)}
          onStartOver={() => adopt(false)}
        />
      )}
      {rebased && !stale && (
        <Alert severity="info" role="status" tabIndex={-1} ref={rebasedNote}>
          {rebasedText(rebased)}
        </Alert>
      )}
      {entries.map(entry => (
        <WeightRow
          key={entry.key}
          entry={entry}
          idPrefix={routeLabel(route)}
          draft={drafts[entry.key]}
          lockable={lockable}
          onSlide={value => {
            setDrafts({});
            setWeight(entry.key, value);
          }}
          onSlideEnd={() => {
            interaction.current = undefined;
          }}
          onType={text => typeWeight(entry.key, text)}
          onBlur={() => settle(entry.key)}
          onToggleLock={() => toggleLock(entry.key)}
        />
      ))}
      <Typography variant="caption" color="textSecondary">
        Whole percent from 0 to 100; the others move so the total stays 100,
        among the destinations that carry traffic.
      </Typography>
      {candidate && entries.some(e => e.key === candidate) && (
        <div
          className={classes.steps}
          role="group"
          aria-label={`Quick steps for ${candidate}`}
        >
          <Typography variant="body2">Send to {candidate}:</Typography>
          {CANDIDATE_STEPS.map(step => {
            const current =
              entries.find(e => e.key === candidate)?.weight === step;
            return (
              <Button
                key={step}
                size="small"
                className={classes.step}
                variant={current ? 'contained' : 'outlined'}
                color={current ? 'primary' : 'default'}
                aria-pressed={current}
                aria-label={`Send ${step}% to ${candidate}`}
                disabled={step > weightLimit(entries, candidate)}
                onClick={() => applyStep(step)}
              >
                {step}%
              </Button>
            );
          })}
        </div>
      )}
      <RouteTrafficBar
        destinations={preview}
        title="the new split"
        legend={false}
      />
      <div className={classes.footer}>
        <Typography
          variant="body2"
          className={splitOk ? classes.total : classes.totalBad}
        >
          Total {total}%{splitOk ? '' : ' — the weights must add up to 100'}
        </Typography>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          ref={reviewButton}
          variant="contained"
          color="primary"
          // At a stale version the dry run could only fail: rebase first.
          disabled={!valid || unchanged || stale}
          aria-describedby={stale ? messageId : undefined}
          onClick={() =>
            onReview(
              Object.fromEntries(entries.map(e => [e.key, e.weight])),
              base.resourceVersion,
            )
          }
        >
          Review change
        </Button>
      </div>
    </section>
  );
};
