import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  istioRolloutsPermissions,
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
} from '@internal/plugin-istio-rollouts-common';

/**
 * How the demo decides the Istio Rollouts permissions (`istioRolloutsDemo.policy`):
 * - `owner` (the default): everyone may read; only an entity's owners may move its traffic;
 * - `allow`: every user may read and act on every entity;
 * - `deny`: nobody may read or act;
 * - `update-only`: an entity's owners may read and update (`setWeights`,
 *   `rollback`, `startCanary`) but never promote; nobody else may do anything;
 * - `no-read`: an entity's owners may update and promote, but nobody may read
 *   (so, as the plugin requires read for every action, nobody may act either).
 * Other plugins' permissions are allowed in every mode. The last two exist so
 * the reliability suites can check that a permission means what it says.
 */
export type DemoPolicyMode =
  | 'owner'
  | 'allow'
  | 'deny'
  | 'update-only'
  | 'no-read';

export const DEMO_POLICY_MODES: readonly DemoPolicyMode[] = [
  'owner',
  'allow',
  'deny',
  'update-only',
  'no-read',
];

/** For each mode, which Istio Rollouts permissions an entity's owners get; `everyone` lists those anyone gets. */
const GRANTS: Record<
  Exclude<DemoPolicyMode, 'allow' | 'deny'>,
  { everyone: string[]; owners: string[] }
> = {
  owner: {
    everyone: [istioRolloutsTrafficReadPermission.name],
    owners: [
      istioRolloutsTrafficUpdatePermission.name,
      istioRolloutsTrafficPromotePermission.name,
    ],
  },
  'update-only': {
    everyone: [],
    owners: [
      istioRolloutsTrafficReadPermission.name,
      istioRolloutsTrafficUpdatePermission.name,
    ],
  },
  'no-read': {
    everyone: [],
    owners: [
      istioRolloutsTrafficUpdatePermission.name,
      istioRolloutsTrafficPromotePermission.name,
    ],
  },
};

/** The config key that selects the {@link DemoPolicyMode}. */
export const DEMO_POLICY_KEY = 'istioRolloutsDemo.policy';

/** Reads `istioRolloutsDemo.policy`; throws, naming the key and the choices, on any other value. */
export function readDemoPolicyMode(config: Config): DemoPolicyMode {
  const value = config.getOptionalString(DEMO_POLICY_KEY) ?? 'owner';
  if (!(DEMO_POLICY_MODES as readonly string[]).includes(value)) {
    throw new Error(
      `${DEMO_POLICY_KEY} must be one of ${DEMO_POLICY_MODES.join(
        ', ',
      )}; got "${value}"`,
    );
  }
  return value as DemoPolicyMode;
}

function isRolloutsPermission(request: PolicyQuery): boolean {
  return istioRolloutsPermissions.some(p =>
    isPermission(request.permission, p),
  );
}

/**
 * The demo's policy. In the default `owner` mode everyone may read and only
 * an entity's owners may move its traffic: ownership is a conditional
 * decision, so the catalog resolves it against the entity's `spec.owner` and
 * the user's groups. The mode is asked for at every decision, so a change of
 * `istioRolloutsDemo.policy` in a watched config file applies without a
 * restart.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  private readonly mode: () => DemoPolicyMode;

  constructor(mode: DemoPolicyMode | (() => DemoPolicyMode) = 'owner') {
    this.mode = typeof mode === 'function' ? mode : () => mode;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isRolloutsPermission(request)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const mode = this.mode();
    if (mode === 'allow') return { result: AuthorizeResult.ALLOW };
    if (mode === 'deny') return { result: AuthorizeResult.DENY };
    const { permission } = request;
    const grants = GRANTS[mode];
    if (grants.everyone.includes(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      grants.owners.includes(permission.name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

/**
 * The mode as the config says now. A value that became invalid after startup
 * (the config is re-read when its files change) denies the Istio Rollouts
 * permissions rather than guessing, and says why in the log.
 */
export function liveDemoPolicyMode(
  config: Config,
  logger: LoggerService,
): () => DemoPolicyMode {
  let reported: string | undefined;
  return () => {
    try {
      const mode = readDemoPolicyMode(config);
      reported = undefined;
      return mode;
    } catch (e) {
      const message = (e as Error).message;
      if (reported !== message) {
        logger.error(`${message}; denying Istio Rollouts permissions`);
        reported = message;
      }
      return 'deny';
    }
  };
}
