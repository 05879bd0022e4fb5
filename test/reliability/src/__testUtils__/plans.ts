/*
 * Step plans through the real backend: starting and steering them over
 * `…/rollouts/plans`, waiting for a state, and reading what the simulated
 * cluster was sent (its request log) and holds. Shared by plans.test.ts
 * (SQLite, a real Prometheus) and plans.replicas.postgres.test.ts (two
 * replicas on one PostgreSQL).
 */
import type { RequestLogEntry } from '@internal/kube-sim';
import knexFactory from 'knex';
import {
  Backend,
  entityPath,
  FIELD_MANAGER,
  loadRollout,
  poll,
  request,
  SimCluster,
} from './harness';

/** One step of a plan, as the API takes it. */
export type Step =
  | { setWeight: number }
  | { pause: { durationSeconds?: number } }
  | { analysis: Record<string, number> };

/** Where a plan runs: an entity's rollout and one of its http routes. */
export interface PlanTarget {
  entity: string;
  /** `<cluster>/<namespace>/<name>` */
  rolloutId: string;
  routeIndex: number;
  /** The VirtualService's namespace and name, from `rolloutId`. */
  namespace: string;
  name: string;
}

/** The target of `http[routeIndex]` of `rolloutId`, which belongs to `entity`. */
export function planTarget(
  entity: string,
  rolloutId: string,
  routeIndex: number,
): PlanTarget {
  const [, namespace, name] = rolloutId.split('/');
  return { entity, rolloutId, routeIndex, namespace, name };
}

export function plansPath(entity: string): string {
  return `${entityPath(entity)}/rollouts/plans`;
}

function fail(what: string, res: { status: number; text: string }): never {
  throw new Error(`${what} answered ${res.status}: ${res.text}`);
}

/** Whether a plan has stopped moving by itself: ended, or paused. */
export const settled = (record: any): boolean =>
  record.state.status !== 'running';

/** Step plans through one backend, as one signed-in user. */
export class PlanClient {
  constructor(readonly backend: Backend, readonly token: string) {}

  /**
   * Starts a plan on the route as the backend reads it now: its
   * resourceVersion and the stable and canary subsets the read model offers
   * (`planOffer`, checked against `subsets` when given). Answers the record.
   */
  async start(
    target: PlanTarget,
    plan: { steps: Step[]; onFailure: 'rollback' | 'pause' },
    subsets?: { stable: string; canary: string },
  ): Promise<any> {
    const { backend, token } = this;
    const rollout = await loadRollout(
      backend,
      target.entity,
      target.rolloutId,
      token,
    );
    const route = rollout.routes.find(
      (r: any) => r.kind === 'http' && r.index === target.routeIndex,
    );
    const offer = route?.planOffer;
    if (
      !offer ||
      (subsets &&
        (offer.stableSubset !== subsets.stable ||
          offer.canarySubset !== subsets.canary))
    ) {
      throw new Error(
        `unexpected plan offer on ${target.rolloutId} http[${
          target.routeIndex
        }]: ${JSON.stringify(route)}`,
      );
    }
    const res = await backend.post(
      plansPath(target.entity),
      {
        rolloutId: target.rolloutId,
        resourceVersion: rollout.resourceVersion,
        route: { kind: 'http', index: target.routeIndex },
        stableSubset: offer.stableSubset,
        canarySubset: offer.canarySubset,
        ...plan,
        reason: 'reliability suite',
      },
      token,
    );
    if (res.status !== 200 || !res.body?.record) fail('Starting a plan', res);
    return res.body.record;
  }

  /** A person's command to a plan; answers the reply (the test checks its status). */
  command(
    entity: string,
    planId: string,
    body: { command: string; resourceVersion?: string; reason?: string },
  ) {
    return this.backend.post(
      `${plansPath(entity)}/${planId}/commands`,
      body,
      this.token,
    );
  }

  /** The plan's record as the API serves it now. */
  async record(entity: string, planId: string): Promise<any> {
    const res = await this.backend.get(plansPath(entity), this.token, 10_000);
    if (res.status !== 200) fail('Listing plans', res);
    const found = res.body.plans.find((p: any) => p.id === planId);
    if (!found) throw new Error(`no plan #${planId} in ${res.text}`);
    return found;
  }

  /** Polls the plan until `done(record)` holds (by default: {@link settled}); answers the record then. */
  async wait(
    entity: string,
    planId: string,
    what: string,
    timeoutMs: number,
    done: (record: any) => boolean = settled,
    intervalMs = 250,
  ): Promise<any> {
    let last: any;
    try {
      return await poll(
        `Plan #${planId}: ${what}`,
        async () => {
          last = await this.record(entity, planId);
          return done(last) ? last : undefined;
        },
        timeoutMs,
        intervalMs,
      );
    } catch (e) {
      throw new Error(
        `${(e as Error).message}\nlast state: ${JSON.stringify(
          last?.state,
        )}\nevents:\n${(last?.events ?? [])
          .map((x: any) => `${x.at} ${x.kind}: ${x.message}`)
          .join('\n')}`,
      );
    }
  }
}

/** Whether a request log entry is a PATCH of this VirtualService that the cluster was asked to apply (no dry run). */
export function isPatchOf(
  entry: RequestLogEntry,
  namespace: string,
  name: string,
): boolean {
  return (
    entry.method === 'PATCH' &&
    entry.resource === 'virtualservices' &&
    entry.namespace === namespace &&
    entry.name === name &&
    entry.query.dryRun === undefined
  );
}

/** The plugin's PATCHes of the target's VirtualService in the cluster's request log, from `from` on (an index of `allWrites`). */
export function pluginPatches(
  cluster: SimCluster,
  target: PlanTarget,
  from = 0,
): RequestLogEntry[] {
  return cluster.allWrites
    .slice(from)
    .filter(
      e =>
        isPatchOf(e, target.namespace, target.name) &&
        e.query.fieldManager === FIELD_MANAGER,
    );
}

/** The target's VirtualService as the cluster stores it. */
function storedVirtualService(cluster: SimCluster, target: PlanTarget) {
  const vs = cluster.object('VirtualService', target.namespace, target.name);
  if (!vs) throw new Error(`no VirtualService ${target.rolloutId}`);
  return vs;
}

/** subset → weight of the target's route, as the cluster stores it. */
export function storedWeights(
  cluster: SimCluster,
  target: PlanTarget,
): Record<string, number> {
  const vs = storedVirtualService(cluster, target);
  const route = (vs.spec as any).http[target.routeIndex];
  return Object.fromEntries(
    route.route.map((d: any) => [d.destination.subset, d.weight ?? 0]),
  );
}

/** The stored VirtualService's resourceVersion. */
export function storedVersion(cluster: SimCluster, target: PlanTarget): string {
  return storedVirtualService(cluster, target).metadata.resourceVersion!;
}

/**
 * A change made straight to the cluster's API, as `kubectl patch` or
 * `kubectl edit` sends it (its own field manager), not through the plugin.
 */
export async function kubectlPatch(
  cluster: SimCluster,
  apiPath: string,
  patch: unknown,
  contentType:
    | 'application/json-patch+json'
    | 'application/merge-patch+json' = 'application/merge-patch+json',
): Promise<any> {
  const res = await request(
    cluster.url,
    'PATCH',
    `${apiPath}?fieldManager=kubectl-edit`,
    {
      token: cluster.token,
      rawBody: JSON.stringify(patch),
      headers: { 'content-type': contentType },
    },
  );
  if (res.status !== 200) fail(`PATCH ${apiPath}`, res);
  return res.body;
}

export function virtualServicePath(target: PlanTarget): string {
  return `/apis/networking.istio.io/v1/namespaces/${target.namespace}/virtualservices/${target.name}`;
}

export function deploymentPath(namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
}

/**
 * The runner's log lines about one plan's weight writes
 * (`Plan #<id> step k/m: setWeights (…) → running`) among the lines the
 * backend printed from line `from` on, with the step they name (k).
 */
export function weightLines(
  backend: Backend,
  planId: string,
  from = 0,
): Array<{ step: number; message: string }> {
  const pattern = new RegExp(
    `^Plan #${planId} step (\\d+)/\\d+: setWeights \\(`,
  );
  return backend.lines.slice(from).flatMap(line => {
    if (!line.startsWith('{')) return [];
    try {
      const message = JSON.parse(line).message;
      const match = typeof message === 'string' && pattern.exec(message);
      return match ? [{ step: Number(match[1]), message }] : [];
    } catch {
      return [];
    }
  });
}

/** Drops every database whose name starts with `prefix` (a run's fresh databases). */
export async function dropDatabases(
  connection: string,
  prefix: string,
): Promise<void> {
  const pg = knexFactory({ client: 'pg', connection });
  try {
    const { rows } = await pg.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await pg.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await pg.destroy();
  }
}
