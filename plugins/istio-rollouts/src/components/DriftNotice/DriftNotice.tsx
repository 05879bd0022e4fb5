import type { RouteDrift } from '@internal/plugin-istio-rollouts-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { exactTime, relativeTime } from '../../lib/relativeTime';
import { formatSplit } from '../../lib/split';

export interface DriftNoticeProps {
  drift: RouteDrift;
  /** The time "… ago" is worded against; the page re-renders at each refresh. */
  now?: Date;
}

/**
 * On a route that differs from the last change made through Backstage: it was
 * changed outside Backstage, by whom (the field manager the VirtualService's
 * managedFields name) and when, and what Backstage last set. A note, not a
 * live region: it stays while the route differs, and a refresh must not read
 * it out again.
 */
export const DriftNotice = ({ drift, now = new Date() }: DriftNoticeProps) => {
  const when = drift.changedAt ?? drift.detectedAt;
  const time = (
    <time dateTime={when} title={exactTime(when)}>
      {relativeTime(when, now)}
    </time>
  );
  return (
    <Alert severity="warning" role="note">
      <AlertTitle>Changed outside Backstage</AlertTitle>
      {drift.by ? (
        <>
          <strong>{drift.by}</strong> changed this route {time}
        </>
      ) : (
        <>Someone changed this route outside Backstage {time}</>
      )}{' '}
      (resourceVersion {drift.resourceVersion})
      {drift.by ? '' : '; the VirtualService’s managedFields don’t say who'}.
      The last change made here set {formatSplit(drift.expected)}: Revert to
      this on that change in the history sets it back.
    </Alert>
  );
};
