import { STEP_PLAN_LIMITS } from '@internal/plugin-istio-rollouts-common';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import { FieldError, newStep, StepDraft } from './planDraft';
import { StepRow } from './StepRow';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  add: {
    marginTop: theme.spacing(1),
  },
}));

export interface StepEditorProps {
  steps: StepDraft[];
  canary: string;
  /** The local check's error; shown under the row it names. */
  error?: FieldError;
  onChange: (steps: StepDraft[]) => void;
}

/** The steps of a custom plan: rows to edit, add, remove and reorder, up to the server's limit. */
export const StepEditor = ({
  steps,
  canary,
  error,
  onChange,
}: StepEditorProps) => {
  const classes = useStyles();
  const replace = (i: number, draft: StepDraft) =>
    onChange(steps.map((s, j) => (j === i ? draft : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  return (
    <div>
      <ol className={classes.list} aria-label="Steps">
        {steps.map((draft, i) => (
          <StepRow
            key={draft.key}
            draft={draft}
            index={i}
            count={steps.length}
            canary={canary}
            error={error?.step === i ? error : undefined}
            onChange={d => replace(i, d)}
            onMove={by => move(i, by)}
            onRemove={() => onChange(steps.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <Button
        size="small"
        className={classes.add}
        startIcon={<AddIcon />}
        disabled={steps.length >= STEP_PLAN_LIMITS.maxSteps}
        onClick={() => onChange([...steps, newStep('setWeight')])}
      >
        Add step
      </Button>
    </div>
  );
};
