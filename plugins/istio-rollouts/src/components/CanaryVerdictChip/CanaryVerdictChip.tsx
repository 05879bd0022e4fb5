import { CanaryVerdict } from '@internal/plugin-istio-rollouts-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import { fillForWhiteText } from '../../lib/colors';
import { formatLatency, formatSuccessRate } from '../../lib/metrics';
import { visuallyHidden } from '../../lib/visuallyHidden';

const useStyles = makeStyles((theme: Theme) => ({
  chip: {
    // Holds the hidden subject text of a chip that is no live region.
    position: 'relative',
    maxWidth: '100%',
    height: 'auto',
    minHeight: 24,
  },
  // Long summaries wrap instead of running off a phone's screen.
  label: {
    whiteSpace: 'normal',
    paddingTop: 2,
    paddingBottom: 2,
  },
  healthy: {
    backgroundColor: fillForWhiteText(theme.palette.success.main),
    color: '#fff',
    '& $icon': {
      color: 'inherit',
    },
  },
  failing: {
    backgroundColor: fillForWhiteText(theme.palette.error.main),
    color: '#fff',
    '& $icon': {
      color: 'inherit',
    },
  },
  icon: {},
  visuallyHidden,
}));

/** A check of the verdict in words, e.g. `success rate 95.8 % (v1 99.7 %, at least 99 %): failed`. */
function checkText(
  verdict: CanaryVerdict,
  check: CanaryVerdict['checks'][number],
): string {
  const format =
    check.metric === 'successRate' ? formatSuccessRate : formatLatency;
  const name = check.metric === 'successRate' ? 'success rate' : 'p99';
  const bound = check.metric === 'successRate' ? 'at least' : 'at most';
  // A threshold is a round figure: `99 %`, not `99.0 %`.
  const threshold = format(check.threshold).replace(/\.0 /, ' ');
  return `${name} ${format(check.value)} (${verdict.stable} ${format(
    check.stableValue,
  )}, ${bound} ${threshold}): ${check.passed ? 'passed' : 'failed'}`;
}

/**
 * The server's verdict on a route's canary, in its own words (`healthy`,
 * `failing: 4.2 % errors vs 0.3 %`, `not enough traffic: …`): green, red or
 * grey, with an icon, so the colour is never the only signal. The tooltip
 * names the subsets compared and each check.
 */
export const CanaryVerdictChip = ({
  verdict,
  windowText,
  live = true,
}: {
  verdict: CanaryVerdict;
  /** The figures' window in words, e.g. `5 min`. */
  windowText?: string;
  /**
   * Whether the chip is a live region (`role="status"`), so a changed verdict is announced. False in a table of
   * many polled rows, where every row would chatter: the chip is then plain text with the same words.
   */
  live?: boolean;
}) => {
  const classes = useStyles();
  const icons = {
    healthy: <CheckCircleIcon className={classes.icon} />,
    failing: <ErrorIcon className={classes.icon} />,
    insufficientTraffic: <HourglassEmptyIcon className={classes.icon} />,
  };
  const tone =
    verdict.status === 'healthy' || verdict.status === 'failing'
      ? classes[verdict.status]
      : '';
  // Which subset the verdict is about: the status's name, or hidden text before the words.
  const subject = `Canary ${verdict.canary}: `;
  const compared = `Canary ${verdict.canary} compared with ${verdict.stable}${
    windowText ? ` over the last ${windowText}` : ''
  }`;
  return (
    <Tooltip
      title={
        <>
          {compared}
          {verdict.checks.map(check => (
            <div key={check.metric}>{checkText(verdict, check)}</div>
          ))}
        </>
      }
    >
      <Chip
        size="small"
        icon={icons[verdict.status]}
        label={
          live ? (
            verdict.summary
          ) : (
            <>
              {/* aria-label is prohibited on an element without a role. */}
              <span className={classes.visuallyHidden}>{subject}</span>
              {verdict.summary}
            </>
          )
        }
        // A status: polite, advisory.
        {...(live
          ? { role: 'status', 'aria-label': `${subject}${verdict.summary}` }
          : {})}
        classes={{ root: `${classes.chip} ${tone}`, label: classes.label }}
        data-status={verdict.status}
      />
    </Tooltip>
  );
};
