import {
  Rollout,
  Route,
  routeLabel,
  StartPlanOffer,
  StepPlanOnFailure,
  StepPlanTemplate,
} from '@internal/plugin-istio-rollouts-common';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import { makeStyles, Theme } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { stepLabel } from '../../lib/planWords';
import { FieldError, StepDraft } from './planDraft';
import { StepEditor } from './StepEditor';
import { targetListStyles } from '../ConfirmActionDialog/targetListStyles';

/**
 * The select's value for a plan of the person's own steps; a template's is its position, so that no template name
 * can be mistaken for it.
 */
export const CUSTOM = 'custom';

/** The template a choice names, if it names one. */
export function chosenTemplate(
  templates: StepPlanTemplate[],
  choice: string,
): StepPlanTemplate | undefined {
  return choice === CUSTOM ? undefined : templates[Number(choice)];
}

const useStyles = makeStyles((theme: Theme) => ({
  target: targetListStyles(theme),
  section: {
    marginTop: theme.spacing(2),
  },
  muted: {
    color: theme.palette.text.secondary,
    overflowWrap: 'anywhere',
  },
  // Long descriptions wrap inside the menu instead of widening it past a phone's screen.
  option: {
    whiteSpace: 'normal',
  },
}));

export interface PlanFormProps {
  rollout: Rollout;
  route: Route;
  offer: StartPlanOffer;
  templates: StepPlanTemplate[];
  /** A template's position, or {@link CUSTOM}. */
  choice: string;
  onChoice: (choice: string) => void;
  steps: StepDraft[];
  onSteps: (steps: StepDraft[]) => void;
  onFailure: StepPlanOnFailure;
  onOnFailure: (onFailure: StepPlanOnFailure) => void;
  fieldError?: FieldError;
  disabled: boolean;
}

/** What a plan starts on and how: the target, the subsets the server offers, and a template or custom steps. */
export const PlanForm = ({
  rollout,
  route,
  offer,
  templates,
  choice,
  onChoice,
  steps,
  onSteps,
  onFailure,
  onOnFailure,
  fieldError,
  disabled,
}: PlanFormProps) => {
  const classes = useStyles();
  const template = chosenTemplate(templates, choice);
  const failureWords = (f: StepPlanOnFailure) =>
    f === 'rollback'
      ? `Roll back to ${offer.stableSubset}`
      : 'Pause for a person';
  return (
    <>
      <dl className={classes.target} aria-label="Target">
        <dt>Cluster</dt>
        <dd>{rollout.cluster}</dd>
        <dt>VirtualService</dt>
        <dd>
          {rollout.namespace}/{rollout.name}
        </dd>
        <dt>Route</dt>
        <dd>{routeLabel(route)}</dd>
        <dt>Stable</dt>
        <dd>{offer.stableSubset}</dd>
        <dt>Canary</dt>
        <dd>{offer.canarySubset}</dd>
      </dl>
      <TextField
        select
        id="istio-rollouts-plan-template"
        label="Plan"
        fullWidth
        variant="outlined"
        size="small"
        value={choice}
        disabled={disabled}
        onChange={e => onChoice(e.target.value)}
      >
        {templates.map((t, i) => (
          <MenuItem key={t.name} value={String(i)} className={classes.option}>
            <ListItemText primary={t.name} secondary={t.description} />
          </MenuItem>
        ))}
        <MenuItem value={CUSTOM} className={classes.option}>
          <ListItemText
            primary="Custom"
            secondary="Your own steps, checked before review"
          />
        </MenuItem>
      </TextField>
      {template ? (
        <Typography
          variant="body2"
          className={`${classes.section} ${classes.muted}`}
        >
          Steps: {template.steps.map(stepLabel).join(' → ')}. On a failed
          analysis: {failureWords(template.onFailure).toLowerCase()}.
        </Typography>
      ) : (
        <>
          <div className={classes.section}>
            <StepEditor
              steps={steps}
              canary={offer.canarySubset}
              error={fieldError}
              onChange={onSteps}
            />
          </div>
          <FormControl component="fieldset" className={classes.section}>
            <FormLabel component="legend">On a failed analysis</FormLabel>
            <RadioGroup
              row
              name="istio-rollouts-plan-on-failure"
              value={onFailure}
              onChange={e => onOnFailure(e.target.value as StepPlanOnFailure)}
            >
              {(['rollback', 'pause'] as const).map(f => (
                <FormControlLabel
                  key={f}
                  value={f}
                  control={<Radio color="primary" />}
                  label={failureWords(f)}
                  disabled={disabled}
                />
              ))}
            </RadioGroup>
          </FormControl>
        </>
      )}
    </>
  );
};
