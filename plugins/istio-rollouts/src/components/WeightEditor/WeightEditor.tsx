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
  isValidSplit,
  normalizeTo100,
  presetSplit,
  rebalance,
  totalOf,
  TWO_WAY_STEPS,
  WeightEntry,
} from '../../lib/rebalance';
import { destinationKey, formatSplit } from '../../lib/split';
import { useSubsetColors } from '../../hooks/subsetColors';
import { RouteTrafficBar, SubsetSwatch } from '../RouteTrafficBar';

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
  },
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
    color: theme.palette.error.main,
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
    setEntries(rebalance(base, key, value));
  };

  const toggleLock = (key: string) => {
    interaction.current = undefined;
    setEntries(prev =>
      prev.map(e => (e.key === key ? { ...e, locked: !e.locked } : e)),
    );
  };

  const applyStep = (percent: number) => {
    if (!candidate) return;
    interaction.current = undefined;
    setEntries(prev => presetSplit(prev, candidate, percent));
  };

  const restart = () => {
    interaction.current = undefined;
    setEntries(initialEntries(route));
  };

  const weights = entries.map(e => e.weight);
  const total = totalOf(weights);
  const valid = isValidSplit(weights);
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
        return (
          <div key={entry.key} className={classes.row}>
            <span className={classes.name}>
              <SubsetSwatch subset={entry.key} />
              {entry.key}
            </span>
            <Slider
              value={entry.weight}
              min={0}
              max={100}
              step={1}
              disabled={entry.locked}
              aria-label={label}
              style={entry.locked ? undefined : { color: colorOf(entry.key) }}
              getAriaValueText={v => `${v}%`}
              onChange={(_, value) => setWeight(entry.key, value as number)}
              onChangeCommitted={() => {
                interaction.current = undefined;
              }}
            />
            <TextField
              type="number"
              variant="outlined"
              size="small"
              value={entry.weight}
              disabled={entry.locked}
              onChange={e => {
                const value = Number.parseInt(e.target.value, 10);
                setWeight(entry.key, Number.isNaN(value) ? 0 : value);
              }}
              onBlur={() => {
                interaction.current = undefined;
              }}
              InputProps={{ endAdornment: '%' }}
              inputProps={{
                min: 0,
                max: 100,
                step: 1,
                'aria-label': `${label} in percent`,
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
        );
      })}
      {entries.length === 2 && candidate && (
        <div
          className={classes.steps}
          role="group"
          aria-label={`Quick steps for ${candidate}`}
        >
          <Typography variant="body2">Send to {candidate}:</Typography>
          {TWO_WAY_STEPS.map(step => {
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
          className={valid ? classes.total : classes.totalBad}
        >
          Total {total}%{valid ? '' : ' — the weights must add up to 100'}
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
