import { Finding } from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  code: {
    fontFamily: theme.typography.fontFamily,
    fontWeight: theme.typography.fontWeightBold as number,
    marginRight: theme.spacing(1),
    whiteSpace: 'nowrap',
  },
}));

/**
 * A rollout's findings as warnings, each with its stable code (documented in
 * the common package's README), placed next to what it is about.
 */
export const FindingsList = ({ findings }: { findings: Finding[] }) => {
  const classes = useStyles();
  if (findings.length === 0) return null;
  return (
    <ul className={classes.list} aria-label="Findings">
      {findings.map((finding, i) => (
        <li key={`${finding.code}-${i}`}>
          <Alert severity={finding.severity}>
            <code className={classes.code}>{finding.code}</code>
            {finding.message}
          </Alert>
        </li>
      ))}
    </ul>
  );
};
