import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterObjects,
  KubeObject,
  Rollout,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import { actionsForRollout, AllowedActionsCache } from '../permissions';
import type { RolloutsReader } from '../rollouts';
import type { UserCredentials } from './RolloutActionsService';
import type { RolloutTarget } from './loadRolloutTarget';
import { withRecordedRollbacks } from './rollbackOffers';

type Outcome<T> = { ok: true; value: T } | { ok: false; warning: string };

/** The objects, with those a write stored (same kind, namespace and name) in their place. */
function replaceStored(
  objects: KubeObject[],
  stored: KubeObject[],
): KubeObject[] {
  const key = (o: KubeObject) =>
    `${o.kind}/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`;
  const byKey = new Map(stored.map(o => [key(o), o]));
  return objects.map(o => byKey.get(key(o)) ?? o);
}

/**
 * The rollout as the cluster has it now, with the actions the caller may
 * take on it (none without credentials: a plan's step): built from the
 * objects the patches' answers carry (what the API server stored) and the
 * others read for the plan, so answering costs the cluster no second read.
 */
export async function readBack(
  deps: {
    allowedActions: AllowedActionsCache;
    reader: RolloutsReader;
    history: HistoryStore;
    logger: LoggerService;
  },
  target: RolloutTarget,
  stored: KubeObject[],
  entityRef: string,
  credentials: UserCredentials | undefined,
): Promise<Outcome<Rollout>> {
  try {
    const allowed = credentials
      ? await deps.allowedActions.get(credentials, entityRef)
      : [];
    const objects: ClusterObjects = {
      ...target.objects,
      virtualServices: replaceStored(target.objects.virtualServices, stored),
      destinationRules: replaceStored(target.objects.destinationRules, stored),
    };
    const built = deps.reader
      .build(objects)
      .filter(r => r.id === target.rollout.id);
    const [rollout] = await withRecordedRollbacks({
      history: deps.history,
      objects: [objects],
      rollouts: built,
      logger: deps.logger,
    });
    if (!rollout) {
      return {
        ok: false,
        warning: `The change was applied, but ${target.rollout.id} is no longer among the entity's rollouts; reload.`,
      };
    }
    return {
      ok: true,
      value: {
        ...rollout,
        allowedActions: actionsForRollout(rollout, allowed),
      },
    };
  } catch (e) {
    return {
      ok: false,
      warning: `The change was applied, but reading the rollout back failed (${
        (e as Error).message
      }); reload to see it.`,
    };
  }
}
