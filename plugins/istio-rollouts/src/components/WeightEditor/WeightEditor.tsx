import { Route, routeLabel } from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Slider from '@material-ui/core/Slider';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/Lock';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import Alert from '@material-ui/lab/Alert';
import { useMemo, useRef, useState } from 'react';
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
import { destinationKey, formatSplit } from '../../lib/split';
import { useSubsetColors } from '../../hooks/subsetColors';
import { RouteTrafficBar, SubsetSwatch } from '../RouteTrafficBar';

// The theme's error red on the editor's grey falls short of WCAG AA in the light theme.
const errorText = (theme: Theme) =>
  theme.palette.type === 'dark'
    ? theme.palette.error.light
    : theme.palette.error.dark;

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
  row: {
    display: 'grid',
    gridTemplateColumns: `minmax(${theme.spacing(
      12,
    )}px, max-content) 1fr ${theme.spacing(12)}px ${theme.spacing(6)}px`,
    alignItems: 'center',
    columnGap: theme.spacing(2),
    // On a phone the slider takes a line of its own, full width.
    [theme.breakpoints.down('xs')]: {
      gridTemplateColumns: `1fr ${theme.spacing(12)}px ${theme.spacing(6)}px`,
      '& $slider': {
        gridColumn: '1 / -1',
        gridRow: 2,
      },
    },
  },
  slider: {},
  name: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontWeight: theme.typography.fontWeightMedium as number,
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
  fieldError: {
    color: errorText(theme),
    textAlign: 'right',
    marginTop: theme.spacing(0.5),
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
  /** Goes on to the confirmation with the new weights, keyed by subset (or host). */
  onReview: (weights: Record<string, number>) => void;
  onCancel: () => void;
}

/**
 * A slider and a number field per destination that keep the total at 100:
 * moving one rebalances the unlocked others (see `rebalance`). A two-way split
 * gets quick steps for its candidate. The editor keeps its own copy of the
 * weights, so a refresh of the page never resets an edit in progress; it says
 * so when the route changed elsewhere meanwhile.
 */
export const WeightEditor = ({
  route,
  onReview,
  onCancel,
}: WeightEditorProps) => {
  const classes = useStyles();
  const colorOf = useSubsetColors();
  const [start] = useState(() => ({
    split: formatSplit(route.destinations),
    entries: initialEntries(route),
  }));
  const [entries, setEntries] = useState<WeightEntry[]>(start.entries);
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

  const setWeight = (key: string, value: number) => {
    if (interaction.current?.key !== key) {
      interaction.current = { key, base: entries };
    }
    const base = interaction.current.base.map(b => ({
      ...b,
      locked: entries.find(e => e.key === b.key)?.locked,
    }));
    setEntries(rebalance(base, key, value, candidate));
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

  const restart = () => {
    interaction.current = undefined;
    setDrafts({});
    setEntries(initialEntries(route));
  };

  const weights = entries.map(e => e.weight);
  const total = totalOf(weights);
  const typing = Object.values(drafts).some(d => d.error);
  const splitOk = isValidSplit(weights);
  const valid = splitOk && !typing;
  const unchanged = entries.every(
    (e, i) => e.weight === route.destinations[i]?.weight,
  );
  const changedElsewhere = formatSplit(route.destinations) !== start.split;
  const lockable = entries.length > 2;
  const preview = route.destinations.map((d, i) => ({
    ...d,
    weight: entries[i]?.weight ?? 0,
  }));

  return (
    <section
      className={classes.root}
      aria-label={`New weights of ${routeLabel(route)}`}
    >
      {changedElsewhere && (
        <Alert
          severity="info"
          action={
            <Button color="inherit" size="small" onClick={restart}>
              Start over
            </Button>
          }
        >
          This route changed elsewhere since you started editing: it is now{' '}
          {formatSplit(route.destinations)}. Your edit is kept; applying it is
          refused if the VirtualService changed, so nothing is overwritten.
        </Alert>
      )}
      {entries.map(entry => {
        const label = `Weight of ${entry.key}`;
        const error = drafts[entry.key]?.error;
        const errorId = `weight-error-${routeLabel(route)}-${
          entry.key
        }`.replace(/[^a-zA-Z0-9-]/g, '-');
        return (
          <div key={entry.key}>
            <div className={classes.row}>
              <span className={classes.name}>
                <SubsetSwatch subset={entry.key} />
                {entry.key}
              </span>
              <Slider
                className={classes.slider}
                value={entry.weight}
                min={0}
                max={100}
                step={1}
                disabled={entry.locked}
                aria-label={label}
                style={entry.locked ? undefined : { color: colorOf(entry.key) }}
                getAriaValueText={v => `${v}%`}
                onChange={(_, value) => {
                  setDrafts({});
                  setWeight(entry.key, value as number);
                }}
                onChangeCommitted={() => {
                  interaction.current = undefined;
                }}
              />
              <TextField
                type="number"
                variant="outlined"
                size="small"
                value={drafts[entry.key]?.text ?? String(entry.weight)}
                disabled={entry.locked}
                error={Boolean(error)}
                onChange={e => typeWeight(entry.key, e.target.value)}
                onBlur={() => settle(entry.key)}
                InputProps={{ endAdornment: '%' }}
                inputProps={{
                  min: 0,
                  max: 100,
                  step: 1,
                  'aria-label': `${label} in percent`,
                  'aria-describedby': error ? errorId : undefined,
                }}
              />
              {lockable ? (
                <Tooltip
                  title={
                    entry.locked
                      ? `Unlock ${entry.key}: it moves with the others again`
                      : `Lock ${entry.key} at ${entry.weight}% while you move the others`
                  }
                >
                  <IconButton
                    size="small"
                    aria-label={`Lock weight of ${entry.key}`}
                    aria-pressed={Boolean(entry.locked)}
                    onClick={() => toggleLock(entry.key)}
                  >
                    {entry.locked ? <LockIcon /> : <LockOpenIcon />}
                  </IconButton>
                </Tooltip>
              ) : (
                <span />
              )}
            </div>
            {error && (
              <Typography
                id={errorId}
                variant="body2"
                role="alert"
                className={classes.fieldError}
              >
                {entry.key}: {error}
              </Typography>
            )}
          </div>
        );
      })}
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
          variant="contained"
          color="primary"
          disabled={!valid || unchanged}
          onClick={() =>
            onReview(Object.fromEntries(entries.map(e => [e.key, e.weight])))
          }
        >
          Review change
        </Button>
      </div>
    </section>
  );
};
