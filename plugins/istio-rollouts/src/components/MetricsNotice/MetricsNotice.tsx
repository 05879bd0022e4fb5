import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import InfoIcon from '@material-ui/icons/InfoOutlined';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { ReactNode } from 'react';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.75),
    color: theme.palette.text.secondary,
    overflowWrap: 'anywhere',
  },
  icon: {
    fontSize: theme.typography.body1.fontSize,
    marginTop: 2,
    flexShrink: 0,
  },
  warning: {
    color: theme.palette.warning.main,
  },
  detail: {
    display: 'block',
  },
}));

/**
 * A small inline note about the canary health figures — the metrics request
 * failed, a cluster's Prometheus is unavailable or not configured — that
 * never takes the place of the routes and buttons.
 */
export const MetricsNotice = ({
  severity = 'info',
  children,
  detail,
}: {
  severity?: 'info' | 'warning';
  children: ReactNode;
  /** A second line, e.g. the reason a cluster's metrics are unavailable. */
  detail?: ReactNode;
}) => {
  const classes = useStyles();
  const Icon = severity === 'warning' ? WarningIcon : InfoIcon;
  return (
    <Typography
      variant="body2"
      component="div"
      role="status"
      className={classes.root}
    >
      <Icon
        aria-hidden
        className={`${classes.icon} ${
          severity === 'warning' ? classes.warning : ''
        }`}
      />
      <span>
        {children}
        {detail && (
          <Typography variant="caption" className={classes.detail}>
            {detail}
          </Typography>
        )}
      </span>
    </Typography>
  );
};
