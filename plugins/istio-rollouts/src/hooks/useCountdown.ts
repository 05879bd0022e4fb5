import { useEffect, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';

/**
 * Milliseconds left until `at` (ISO 8601), updated every second and never below 0; undefined without a time.
 * The timer stops once the time is reached, so an idle page does no work.
 */
export function useCountdown(at: string | undefined): number | undefined {
  const target = at ? Date.parse(at) : NaN;
  const [now, setNow] = useState(() => Date.now());
  // A new target is counted from now, not from the last tick.
  useEffect(() => setNow(Date.now()), [target]);
  const remaining = Number.isNaN(target)
    ? undefined
    : Math.max(0, target - now);
  useInterval(
    () => setNow(Date.now()),
    remaining !== undefined && remaining > 0 ? 1000 : null,
  );
  return remaining;
}
