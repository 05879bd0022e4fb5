import { PortalHealthResponse } from '@internal/plugin-istio-rollouts-common';
import { insufficientTrafficVerdict, reviewsMetrics } from './metrics';

/*
 * Answers of GET /api/istio-rollouts/v1/rollouts/health for the rows of `portalResponse` (./portal.ts): reviews' v2
 * fails in demo-east and is healthy in demo-west, gorilla-sfx-demo's green has too few requests to judge, and
 * web-service's mirror has no canary to compare (no verdict).
 */

const [eastVerdict, westVerdict] = reviewsMetrics.rollouts.map(
  r => r.routes[0].verdict,
);

/** Every cluster's Prometheus answering. */
export const portalHealth: PortalHealthResponse = {
  windowSeconds: 300,
  thresholds: reviewsMetrics.thresholds,
  clusters: [
    { name: 'demo-east', status: 'ok' },
    { name: 'demo-west', status: 'ok' },
  ],
  routes: [
    {
      rolloutId: 'demo-east/bookinfo/reviews',
      route: { kind: 'http', index: 0 },
      verdict: eastVerdict,
    },
    {
      rolloutId: 'demo-west/bookinfo/reviews',
      route: { kind: 'http', index: 0 },
      verdict: westVerdict,
    },
    {
      rolloutId: 'demo-east/default/gorilla-sfx-demo',
      route: { kind: 'http', index: 0 },
      verdict: {
        ...insufficientTrafficVerdict,
        canary: 'green',
        stable: 'blue',
        summary: 'not enough traffic: 3 of 50 requests',
      },
    },
  ],
};

/** demo-west's Prometheus timed out: demo-east's verdicts only. */
export const portalHealthWestUnavailable: PortalHealthResponse = {
  ...portalHealth,
  clusters: [
    { name: 'demo-east', status: 'ok' },
    {
      name: 'demo-west',
      status: 'unavailable',
      error: {
        reason: 'Timeout',
        message: 'Prometheus did not answer within 5000 ms',
      },
    },
  ],
  routes: portalHealth.routes.filter(
    r => !r.rolloutId.startsWith('demo-west/'),
  ),
};

/** demo-west has no Prometheus configured. */
export const portalHealthWestNotConfigured: PortalHealthResponse = {
  ...portalHealthWestUnavailable,
  clusters: [
    { name: 'demo-east', status: 'ok' },
    { name: 'demo-west', status: 'notConfigured' },
  ],
};
