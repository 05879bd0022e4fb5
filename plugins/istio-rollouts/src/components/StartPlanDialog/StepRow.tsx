import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import DeleteIcon from '@material-ui/icons/DeleteOutline';
import { useId } from 'react';
import { errorText } from '../WeightEditor/WeightRow';
import {
  ANALYSIS_FIELD_INFO,
  ANALYSIS_FIELDS,
  AnalysisField,
  FieldError,
  StepDraft,
  StepKind,
} from './planDraft';

const useStyles = makeStyles((theme: Theme) => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  number: {
    alignSelf: 'center',
    minWidth: theme.spacing(3),
    color: theme.palette.text.secondary,
  },
  kind: {
    width: theme.spacing(17),
  },
  field: {
    width: theme.spacing(17),
  },
  // The analysis fields take a line of their own, wrapping two to a line on a phone.
  analysis: {
    flexBasis: '100%',
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fill, minmax(${theme.spacing(
      17,
    )}px, 1fr))`,
    gap: theme.spacing(1),
  },
  moves: {
    marginLeft: 'auto',
    display: 'flex',
  },
  error: {
    flexBasis: '100%',
    color: errorText(theme),
  },
}));

const KINDS: Array<{ kind: StepKind; label: string }> = [
  { kind: 'setWeight', label: 'Set weight' },
  { kind: 'pause', label: 'Pause' },
  { kind: 'analysis', label: 'Analysis' },
];

export interface StepRowProps {
  draft: StepDraft;
  index: number;
  count: number;
  /** The canary subset, named in the weight field. */
  canary: string;
  /** The local check's error, when it is about this row. */
  error?: FieldError;
  onChange: (draft: StepDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

/** One step of a custom plan: its kind, its fields, and buttons to move or remove it. */
export const StepRow = ({
  draft,
  index,
  count,
  canary,
  error,
  onChange,
  onMove,
  onRemove,
}: StepRowProps) => {
  const classes = useStyles();
  // TextField ties its label to its input by id.
  const id = useId();
  const n = index + 1;
  const errorId = `${id}-error`;
  const invalid = (field: string) =>
    error?.field === field ||
    (error !== undefined && error.field === undefined);
  const describedBy = (field: string) => (invalid(field) ? errorId : undefined);
  const setAnalysis = (field: AnalysisField, text: string) =>
    onChange({ ...draft, analysis: { ...draft.analysis, [field]: text } });

  return (
    <li>
      {/* A group per row: its fields keep short visible names, read with "Step n". */}
      <div className={classes.row} role="group" aria-label={`Step ${n}`}>
        <Typography variant="body2" className={classes.number} aria-hidden>
          {n}.
        </Typography>
        <TextField
          select
          size="small"
          variant="outlined"
          id={`${id}-kind`}
          label="Type"
          className={classes.kind}
          value={draft.kind}
          onChange={e =>
            onChange({ ...draft, kind: e.target.value as StepKind })
          }
        >
          {KINDS.map(k => (
            <MenuItem key={k.kind} value={k.kind}>
              {k.label}
            </MenuItem>
          ))}
        </TextField>
        {draft.kind === 'setWeight' && (
          <TextField
            size="small"
            variant="outlined"
            type="number"
            id={`${id}-weight`}
            label={`${canary} weight (%)`}
            className={classes.field}
            value={draft.weight}
            error={invalid('setWeight')}
            onChange={e => onChange({ ...draft, weight: e.target.value })}
            inputProps={{
              min: 0,
              max: 100,
              'aria-describedby': describedBy('setWeight'),
            }}
          />
        )}
        {draft.kind === 'pause' && (
          <TextField
            size="small"
            variant="outlined"
            type="number"
            id={`${id}-pause`}
            label="Pause (s)"
            InputLabelProps={{ shrink: true }}
            className={classes.field}
            value={draft.duration}
            error={invalid('pause') || invalid('durationSeconds')}
            onChange={e => onChange({ ...draft, duration: e.target.value })}
            helperText="empty: wait for a person"
            inputProps={{ min: 1 }}
          />
        )}
        <span className={classes.moves}>
          <IconButton
            size="small"
            aria-label={`Move step ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <ArrowUpwardIcon fontSize="small" />
          </IconButton>
          <IconButton
            size="small"
            aria-label={`Move step ${n} down`}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            <ArrowDownwardIcon fontSize="small" />
          </IconButton>
          <IconButton
            size="small"
            aria-label={`Remove step ${n}`}
            disabled={count === 1}
            onClick={onRemove}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        </span>
        {draft.kind === 'analysis' && (
          <div className={classes.analysis}>
            {ANALYSIS_FIELDS.map(field => (
              <TextField
                key={field}
                id={`${id}-${field}`}
                size="small"
                variant="outlined"
                type="number"
                label={ANALYSIS_FIELD_INFO[field].label}
                placeholder={`default ${ANALYSIS_FIELD_INFO[field].placeholder}`}
                InputLabelProps={{ shrink: true }}
                value={draft.analysis[field] ?? ''}
                error={invalid(field)}
                onChange={e => setAnalysis(field, e.target.value)}
                inputProps={{ 'aria-describedby': describedBy(field) }}
              />
            ))}
          </div>
        )}
        {error && (
          <Typography
            id={errorId}
            variant="body2"
            role="alert"
            className={classes.error}
          >
            {error.message}
          </Typography>
        )}
      </div>
    </li>
  );
};
