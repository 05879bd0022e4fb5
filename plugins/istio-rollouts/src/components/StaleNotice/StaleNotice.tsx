import type { RolloutStale } from '@internal/plugin-istio-rollouts-common';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useState } from 'react';
import { exactTime } from '../../lib/relativeTime';
import { staleHeadline } from '../../lib/stale';

/** How often "last seen … ago" is worded again. */
export const STALE_NOTICE_TICK_MS = 1000;

function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export interface StaleNoticeProps {
  /** The cluster's name as the page shows it. */
  cluster: string;
  stale: RolloutStale;
}

/**
 * On a rollout shown from memory: its cluster is not answering, since when
 * the portal last saw it (kept current while the page is open), and that the
 * controls are off. A note, not a live region: the cluster's error panel
 * announces the failure once, and the ticking time must not be read out.
 */
export const StaleNotice = ({ cluster, stale }: StaleNoticeProps) => {
  const now = useNow(STALE_NOTICE_TICK_MS);
  return (
    <Alert severity="warning" icon={<CloudOffIcon />} role="note">
      <AlertTitle>{staleHeadline(cluster, stale, now)}</AlertTitle>
      This is its last-known state, read at{' '}
      <time dateTime={stale.lastSeen}>{exactTime(stale.lastSeen)}</time> (
      {stale.reason}): the traffic may have changed since. The controls are off
      until {cluster} answers again.
    </Alert>
  );
};
