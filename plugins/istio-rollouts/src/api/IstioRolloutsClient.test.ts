import { ResponseError } from '@backstage/errors';
import { reviewsMetrics } from '../__fixtures__/metrics';
import { reviewsPlans, runningPlan } from '../__fixtures__/plans';
import { portalWestDown } from '../__fixtures__/portal';
import { portalHealthWestUnavailable } from '../__fixtures__/portalHealth';
import { reviewsResponse } from '../__fixtures__/rollouts';
import { IstioRolloutsClient } from './IstioRolloutsClient';

const entity = { kind: 'Component', namespace: 'default', name: 'reviews' };
const base = 'http://localhost:7007/api/istio-rollouts';

function clientAnswering(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new IstioRolloutsClient({
    discoveryApi: { getBaseUrl: async () => base },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('IstioRolloutsClient', () => {
  it('reads an entity’s rollouts from the versioned route', async () => {
    const { client, fetch } = clientAnswering(json(reviewsResponse));
    await expect(client.getRollouts(entity)).resolves.toEqual(reviewsResponse);
    expect(fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/reviews/rollouts`,
      expect.anything(),
    );
  });

  it('reads an entity’s canary health from the metrics route, with the signal', async () => {
    const { client, fetch } = clientAnswering(json(reviewsMetrics));
    const controller = new AbortController();
    await expect(
      client.getRolloutMetrics(entity, { signal: controller.signal }),
    ).resolves.toEqual(reviewsMetrics);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/metrics`,
    );
    expect(init.signal).toBe(controller.signal);
  });

  it('throws a ResponseError when the metrics cannot be read', async () => {
    const { client } = clientAnswering(
      json(
        {
          error: { name: 'Error', message: 'Prometheus is unreachable' },
          request: { method: 'GET', url: '/metrics' },
          response: { statusCode: 503 },
        },
        503,
      ),
    );
    const error = await client.getRolloutMetrics(entity).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
  });

  it('posts an action as JSON', async () => {
    const { client, fetch } = clientAnswering(
      json({
        dryRun: true,
        changed: true,
        summary: 's',
        patches: [],
        routes: [],
      }),
    );
    const request = {
      rolloutId: 'demo-east/bookinfo/reviews',
      route: { kind: 'http' as const, index: 0 },
      action: 'setWeights' as const,
      weights: { v1: 80, v2: 20 },
      resourceVersion: '28',
      dryRun: true,
    };
    await client.runAction(entity, request);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/actions`,
    );
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(request);
  });

  it('pages the history with limit and cursor', async () => {
    const { client, fetch } = clientAnswering(json({ events: [] }));
    await client.getHistory(entity, { limit: 10, cursor: '42' });
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/history?limit=10&cursor=42`,
    );
  });

  it('reads an entity’s step plans, with the signal', async () => {
    const { client, fetch } = clientAnswering(json(reviewsPlans));
    const controller = new AbortController();
    await expect(
      client.getPlans(entity, { signal: controller.signal }),
    ).resolves.toEqual(reviewsPlans);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/plans`,
    );
    expect(init.signal).toBe(controller.signal);
  });

  it('posts a plan to start as JSON', async () => {
    const { client, fetch } = clientAnswering(
      json({ dryRun: true, summary: 's', plan: runningPlan.plan }),
    );
    const request = {
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '28',
      route: { kind: 'http' as const, index: 0, name: 'reviews-route' },
      stableSubset: 'v1',
      canarySubset: 'v2',
      template: '10-25-50-100',
      dryRun: true,
    };
    await client.startPlan(entity, request);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/plans`,
    );
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(request);
  });

  it('posts a command to the plan it names', async () => {
    const { client, fetch } = clientAnswering(
      json({ summary: 's', record: runningPlan }),
    );
    await client.commandPlan(entity, '12', {
      command: 'abort',
      resourceVersion: '28',
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${base}/v1/entities/component/default/reviews/rollouts/plans/12/commands`,
    );
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual({
      command: 'abort',
      resourceVersion: '28',
    });
  });

  it('reads the portal-wide rollouts from the versioned route, with the signal', async () => {
    const { client, fetch } = clientAnswering(json(portalWestDown));
    const controller = new AbortController();
    await expect(
      client.getPortalRollouts({ signal: controller.signal }),
    ).resolves.toEqual(portalWestDown);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${base}/v1/rollouts`);
    expect(init.signal).toBe(controller.signal);
    expect(init.method).toBeUndefined();
  });

  it('reads the portal-wide canary verdicts from their own route, with the signal', async () => {
    const { client, fetch } = clientAnswering(
      json(portalHealthWestUnavailable),
    );
    const controller = new AbortController();
    await expect(
      client.getPortalHealth({ signal: controller.signal }),
    ).resolves.toEqual(portalHealthWestUnavailable);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${base}/v1/rollouts/health`);
    expect(init.signal).toBe(controller.signal);
    expect(init.method).toBeUndefined();
  });

  it('throws a ResponseError when the portal-wide verdicts cannot be read', async () => {
    const { client } = clientAnswering(
      json(
        {
          error: { name: 'Error', message: 'Prometheus is unreachable' },
          request: { method: 'GET', url: '/v1/rollouts/health' },
          response: { statusCode: 503 },
        },
        503,
      ),
    );
    const error = await client.getPortalHealth().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
  });

  it('throws a ResponseError when the portal-wide rollouts cannot be read', async () => {
    const { client } = clientAnswering(
      json(
        {
          error: { name: 'NotAllowedError', message: 'Unauthorized' },
          request: { method: 'GET', url: '/v1/rollouts' },
          response: { statusCode: 401 },
        },
        401,
      ),
    );
    const error = await client.getPortalRollouts().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(401);
  });

  it('throws a ResponseError carrying the status and the server’s message', async () => {
    const { client } = clientAnswering(
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'demo-east/bookinfo/reviews changed since it was loaded',
          },
          request: { method: 'POST', url: '/actions' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    const error = await client
      .runAction(entity, {
        rolloutId: 'demo-east/bookinfo/reviews',
        action: 'promote',
        route: { kind: 'http', index: 0 },
        subset: 'v2',
        resourceVersion: '1',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'demo-east/bookinfo/reviews changed since it was loaded',
    );
  });
});
