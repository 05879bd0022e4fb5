/**
 * The bounds a plan is held to, so that a typo (a pause of 3000000 seconds, a plan of 500 steps) is refused at
 * the door rather than discovered in production weeks later.
 * @public
 */
export const STEP_PLAN_LIMITS = {
  maxSteps: 50,
  /** A timed pause: one day at most; a longer wait is a `pause: {}` for a person. */
  maxPauseSeconds: 86_400,
  /** The analysis window and interval, from 10 s (Prometheus' scrape) to an hour. */
  minWindowSeconds: 10,
  maxWindowSeconds: 3_600,
  minIntervalSeconds: 10,
  maxIntervalSeconds: 3_600,
  maxCount: 100,
  maxFailureLimit: 100,
  maxLatencyP99Ms: 600_000,
  maxMinRequests: 1_000_000_000,
  maxNameLength: 63,
  maxDescriptionLength: 500,
} as const;

/** What an analysis step takes for the fields it leaves out (the thresholds come from the operator's config). @public */
export const DEFAULT_STEP_PLAN_ANALYSIS = {
  windowSeconds: 60,
  intervalSeconds: 60,
  count: 3,
  failureLimit: 2,
} as const;
