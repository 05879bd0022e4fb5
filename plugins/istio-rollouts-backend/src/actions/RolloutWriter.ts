import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ActionPlan,
  ClusterObjects,
  KubeObject,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import { ClusterDetails } from '../clusters';
import {
  ClusterClient,
  ClusterClients,
  ClusterReadError,
  describeClusterError,
  IstioObjectRef,
  kubeStatusCode,
  PatchOptions,
  withTimeout,
} from '../kubernetes';
import { describeObject, describePatchFailure } from './patchFailure';
import { mayHaveLanded, PatchLanding, patchLanding } from './patchLanding';
import { addedSubset, routeUsesSubset, subsetRemoval } from './subsetAddition';

/** Where a plan is written: the cluster, the Istio version it serves, and the resourceVersion the user loaded. */
export interface WriteTarget {
  cluster: ClusterDetails;
  istioVersion: string;
  /** The VirtualService's resourceVersion the plan was made for, for messages. */
  resourceVersion: string;
  /**
   * The objects the plan was made from, as read. With them, a patch whose
   * answer is late, lost or a 5xx is read back to tell whether it was made.
   */
  objects?: Pick<ClusterObjects, 'virtualServices' | 'destinationRules'>;
}

/** What a write adds to the plan: notes for the user, e.g. a lost answer of a change that was made. */
export interface WriteResult {
  warnings: string[];
  /** Every patched object as the API server stored it, in the order patched. */
  stored: KubeObject[];
}

interface Applied {
  patch: RolloutObjectPatch;
  stored: KubeObject;
}

/**
 * Sends an action's patches to a cluster, in the plan's order (a
 * DestinationRule subset before the VirtualService destination that uses it),
 * each as one JSON Patch with the cluster's timeout. When a later patch fails
 * after a DestinationRule subset was added for it, the subset is taken out
 * again, unless the VirtualService turns out to route to it (a timed-out
 * patch may have landed): traffic never points at a missing subset, and a
 * failed action leaves the cluster as it was.
 */
export class RolloutWriter {
  private readonly clients: ClusterClients;
  private readonly timeoutMs: number;
  private readonly logger: LoggerService;

  constructor(options: {
    clients: ClusterClients;
    timeoutMs: number;
    logger: LoggerService;
  }) {
    this.clients = options.clients;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
  }

  async write(
    target: WriteTarget,
    plan: ActionPlan,
    options: PatchOptions = {},
  ): Promise<WriteResult> {
    let client: ClusterClient;
    try {
      client = await this.clients.get(target.cluster);
    } catch (e) {
      throw withOutcome(e, 'failed');
    }
    // Anything else that goes wrong is 'unknown' unless a patch's failure said otherwise.
    return this.writeAll(client, target, plan, options);
  }

  private async writeAll(
    client: ClusterClient,
    target: WriteTarget,
    plan: ActionPlan,
    options: PatchOptions,
  ): Promise<WriteResult> {
    const applied: Applied[] = [];
    const warnings: string[] = [];
    for (const patch of plan.patches) {
      let stored: KubeObject;
      try {
        stored = await this.call(target, signal =>
          client.patchIstio(
            this.ref(target, patch),
            patch.operations,
            signal,
            options,
          ),
        );
      } catch (e) {
        // A late, lost or 5xx answer may follow a committed write: ask.
        const landing = await this.checkLanding(client, target, patch, e);
        if (landing.outcome === 'made') {
          const object = describeObject({ ...target, patch });
          const why = describeClusterError(target.cluster, e).message;
          this.logger.warn(
            `The answer to the patch of ${object} was lost (${why}); read back, the change is there`,
          );
          warnings.push(
            `${object} was changed, but the cluster's answer did not arrive (${why.replace(
              /\.$/,
              '',
            )}); reading it back showed the change in place.`,
          );
          applied.push({ patch, stored: landing.now });
          continue;
        }
        const note = applied.length
          ? await this.undo(client, target, plan, applied, options)
          : undefined;
        const error = describePatchFailure(
          {
            cluster: target.cluster,
            patch,
            resourceVersion: resourceVersionOf(patch) ?? target.resourceVersion,
            impersonate: options.impersonate,
          },
          e,
          note,
          landing.outcome,
        );
        throw withOutcome(error, failureOutcome(e, landing.outcome));
      }
      applied.push({ patch, stored });
    }
    return { warnings, stored: applied.map(a => a.stored) };
  }

  /**
   * Reads back the object of a patch that failed in a way that does not rule
   * out the write (a timeout, a cut connection, a 5xx), and tells whether the
   * patch was made. Not checked (no outcome) after a refusal (4xx), or when the
   * object the patch was planned on is not known.
   */
  private async checkLanding(
    client: ClusterClient,
    target: WriteTarget,
    patch: RolloutObjectPatch,
    e: unknown,
  ): Promise<
    | { outcome: 'made'; now: KubeObject }
    | { outcome?: Exclude<PatchLanding, 'made'> }
  > {
    const original = this.original(target, patch);
    if (!original || !mayHaveLanded(e)) return {};
    try {
      const now = await this.call(target, signal =>
        client.getIstio(this.ref(target, patch), signal),
      );
      const outcome = patchLanding(original, now, patch);
      return outcome === 'made' ? { outcome, now: now! } : { outcome };
    } catch {
      return { outcome: 'unknown' };
    }
  }

  /** The object a patch was planned on, among the objects the plan was made from. */
  private original(
    target: WriteTarget,
    patch: RolloutObjectPatch,
  ): KubeObject | undefined {
    const objects =
      patch.kind === 'VirtualService'
        ? target.objects?.virtualServices
        : target.objects?.destinationRules;
    return objects?.find(
      o =>
        o.metadata?.name === patch.name &&
        (o.metadata?.namespace ?? 'default') === patch.namespace,
    );
  }

  /** Takes back what the earlier patches of a failed action added; answers what happened, in words. */
  private async undo(
    client: ClusterClient,
    target: WriteTarget,
    plan: ActionPlan,
    applied: Applied[],
    options: PatchOptions,
  ): Promise<string> {
    const notes: string[] = [];
    for (const { patch, stored } of [...applied].reverse()) {
      notes.push(
        await this.undoOne(client, target, plan, patch, stored, options),
      );
    }
    return notes.join(' ');
  }

  private async undoOne(
    client: ClusterClient,
    target: WriteTarget,
    plan: ActionPlan,
    patch: RolloutObjectPatch,
    stored: KubeObject,
    options: PatchOptions,
  ): Promise<string> {
    const object = describeObject({ ...target, patch });
    const subset = addedSubset(patch);
    if (!subset) {
      // The planner only ever writes a DestinationRule subset before the VirtualService.
      return `${object} was changed by an earlier step and is left as it is now.`;
    }
    const kept = `Subset "${subset}" stays in ${object}`;
    const vsPatch = plan.patches.find(p => p.kind === 'VirtualService');
    try {
      const vs =
        vsPatch &&
        (await this.call(target, signal =>
          client.getIstio(this.ref(target, vsPatch), signal),
        ));
      if (vs && routeUsesSubset(vs, plan.route, subset)) {
        return `${kept}: the VirtualService routes to it after all; reload to see.`;
      }
    } catch (e) {
      return `${kept}: whether the VirtualService changed could not be checked (${
        describeClusterError(target.cluster, e).message
      }). Remove the subset by hand if the VirtualService does not route to it.`;
    }
    const removal = subsetRemoval(patch, stored, subset);
    if (!removal) return `${kept}: it could not be found there to remove.`;
    try {
      await this.call(target, signal =>
        client.patchIstio(
          this.ref(target, removal),
          removal.operations,
          signal,
          options,
        ),
      );
      this.logger.info(
        `Removed subset ${subset} from ${object} again after the action failed`,
      );
      return `Subset "${subset}", added to ${object} first, was removed again: nothing was changed.`;
    } catch (e) {
      this.logger.warn(
        `Could not remove subset ${subset} from ${object} after the action failed: ${
          describeClusterError(target.cluster, e).message
        }`,
      );
      return `${kept}: removing it again failed (${
        describeClusterError(target.cluster, e).message
      }). No traffic goes to it; remove it by hand if you don't want it.`;
    }
  }

  private ref(target: WriteTarget, patch: RolloutObjectPatch): IstioObjectRef {
    return {
      version: target.istioVersion,
      resource:
        patch.kind === 'VirtualService'
          ? 'virtualservices'
          : 'destinationrules',
      namespace: patch.namespace,
      name: patch.name,
    };
  }

  /** One request with the cluster's time budget; aborted when it runs out. */
  private call<T>(
    target: WriteTarget,
    request: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withTimeout(
      this.timeoutMs,
      request,
      () =>
        new ClusterReadError(
          'Timeout',
          `Cluster "${target.cluster.name}" did not answer within ${this.timeoutMs} ms`,
        ),
    );
  }
}

/** The resourceVersion a patch is guarded with, if any. */
function resourceVersionOf(patch: RolloutObjectPatch): string | undefined {
  const guard = patch.operations.find(
    op => op.op === 'replace' && op.path === '/metadata/resourceVersion',
  ) as { value?: unknown } | undefined;
  return typeof guard?.value === 'string' ? guard.value : undefined;
}

/** How a write that threw ended, for the history: see {@link writeOutcomeOf}. */
export type WriteFailureOutcome = 'refused' | 'failed' | 'unknown';

const outcomes = new WeakMap<object, WriteFailureOutcome>();

function withOutcome(e: unknown, outcome: WriteFailureOutcome): unknown {
  if (typeof e === 'object' && e !== null && !outcomes.has(e)) {
    outcomes.set(e, outcome);
  }
  return e;
}

/** What an error thrown by the writer means for the change: nothing written (refused or failed), or unknown. */
export function writeOutcomeOf(e: unknown): WriteFailureOutcome {
  return (typeof e === 'object' && e !== null && outcomes.get(e)) || 'unknown';
}

/** What a patch's failure means for the change: refused (4xx), not made (read back unchanged, or never sent), or unknown. */
function failureOutcome(
  e: unknown,
  landing: PatchLanding | undefined,
): WriteFailureOutcome {
  const status = kubeStatusCode(e);
  if (status !== undefined && status < 500) return 'refused';
  if (landing === 'not-made' || !mayHaveLanded(e)) return 'failed';
  return 'unknown';
}
