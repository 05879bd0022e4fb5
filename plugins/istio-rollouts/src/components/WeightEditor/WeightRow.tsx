import IconButton from '@material-ui/core/IconButton';
import Slider from '@material-ui/core/Slider';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/Lock';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { useSubsetColors } from '../../hooks/subsetColors';
import { WeightEntry } from '../../lib/rebalance';
import { SubsetSwatch } from '../RouteTrafficBar';

/** The theme's error red on the editor's grey falls short of WCAG AA in the light theme. */
export const errorText = (theme: Theme) =>
  theme.palette.type === 'dark'
    ? theme.palette.error.light
    : theme.palette.error.dark;

const useStyles = makeStyles((theme: Theme) => ({
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
  fieldError: {
    color: errorText(theme),
    textAlign: 'right',
    marginTop: theme.spacing(0.5),
  },
}));

export interface WeightRowProps {
  entry: WeightEntry;
  /** Tells this row's error apart from other routes' on the page. */
  idPrefix: string;
  /** What the field shows while it is typed in, and why it is not a weight yet. */
  draft?: { text: string; error?: string };
  /** Routes of three or more destinations get a lock per destination. */
  lockable: boolean;
  onSlide: (weight: number) => void;
  onSlideEnd: () => void;
  onType: (text: string) => void;
  onBlur: () => void;
  onToggleLock: () => void;
}

/** One destination in the weight editor: its slider, number field and lock, and the field's error. */
export const WeightRow = ({
  entry,
  idPrefix,
  draft,
  lockable,
  onSlide,
  onSlideEnd,
  onType,
  onBlur,
  onToggleLock,
}: WeightRowProps) => {
  const classes = useStyles();
  const colorOf = useSubsetColors();
  const label = `Weight of ${entry.key}`;
  const error = draft?.error;
  const errorId = `weight-error-${idPrefix}-${entry.key}`.replace(
    /[^a-zA-Z0-9-]/g,
    '-',
  );
  return (
    <div>
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
          onChange={(_, value) => onSlide(value as number)}
          onChangeCommitted={onSlideEnd}
        />
        <TextField
          type="number"
          variant="outlined"
          size="small"
          value={draft?.text ?? String(entry.weight)}
          disabled={entry.locked}
          error={Boolean(error)}
          onChange={e => onType(e.target.value)}
          onBlur={onBlur}
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
              onClick={onToggleLock}
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
};
