import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/LockOutlined';
import { useEntityAccessContext } from '../../hooks/entityAccess';
import { lockedSummary } from '../../lib/actions';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  icon: {
    flexShrink: 0,
  },
  detail: {
    display: 'block',
    color: theme.palette.text.secondary,
    overflowWrap: 'anywhere',
  },
}));

/**
 * The line under a rollout's controls when permissions lock some of them: who
 * owns the entity, what the user may not do and whom to ask; the missing
 * permission ids follow in small print, for whoever sets up the policy.
 */
export const LockedControlsNotice = ({ rollout }: { rollout: Rollout }) => {
  const classes = useStyles();
  const access = useEntityAccessContext();
  const summary = lockedSummary(rollout, access);
  if (!summary) return null;
  return (
    <div className={classes.root}>
      <LockIcon fontSize="small" className={classes.icon} />
      <div>
        <Typography variant="body2">{summary.text}</Typography>
        {summary.permissions.length > 0 && (
          <Typography variant="caption" className={classes.detail}>
            Missing permission
            {summary.permissions.length === 1 ? '' : 's'}:{' '}
            {summary.permissions.map((p, i) => (
              <span key={p}>
                {i > 0 && ', '}
                <code>{p}</code>
              </span>
            ))}
          </Typography>
        )}
      </div>
    </div>
  );
};
