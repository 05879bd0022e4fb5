import { ClusterStatus } from '@internal/plugin-istio-rollouts-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Typography from '@material-ui/core/Typography';

/** What each of the backend's cluster error reasons means to a user. */
const REASONS: Record<string, string> = {
  Timeout: 'did not answer in time',
  Unreachable: 'could not be reached',
  Unauthorized: 'refused the plugin’s credentials',
  MissingCredentials: 'has no credentials configured',
  Forbidden: 'denied the plugin access',
  IstioNotInstalled: 'serves no Istio networking API',
  ServerError: 'answered with a server error',
  InvalidResponse: 'answered something that is not Kubernetes JSON',
};

/** What the page shows of the cluster's rollouts, under the panel. */
function shownBelow(lastKnown: number): string {
  if (lastKnown === 0) {
    return 'Rollouts in this cluster are not shown; the other clusters are up to date.';
  }
  const which =
    lastKnown === 1
      ? 'Its last-known VirtualService is shown below'
      : `Its ${lastKnown} last-known VirtualServices are shown below`;
  return `${which}, greyed and read-only; the other clusters are up to date.`;
}

export interface ClusterErrorPanelProps {
  cluster: ClusterStatus;
  /** How many of its rollouts the page shows from memory (stale), under the panel. */
  lastKnown?: number;
}

/**
 * One cluster that could not be read, in a section of its own: the other
 * clusters' rollouts render beside it. The panel says why; each stale card
 * below says since when, so the two never repeat each other.
 */
export const ClusterErrorPanel = ({
  cluster,
  lastKnown = 0,
}: ClusterErrorPanelProps) => {
  const reason = cluster.error?.reason ?? 'Unknown';
  const what = REASONS[reason] ?? 'could not be read';
  return (
    <Alert severity="error">
      <AlertTitle>
        {cluster.title ?? cluster.name} {what} ({reason})
      </AlertTitle>
      <div>{cluster.error?.message ?? 'No details were given.'}</div>
      <Typography variant="caption" component="div">
        {shownBelow(lastKnown)}
      </Typography>
    </Alert>
  );
};
