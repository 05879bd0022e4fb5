import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { RolloutAction } from '@internal/plugin-istio-rollouts-common';
import { authorizeRolloutActions } from './allowedActions';

/** How long a user's actions on an entity are reused: a few page polls. */
export const DEFAULT_ALLOWED_ACTIONS_TTL_MS = 10 * 1000;

/** A bound on memory: beyond it, expired entries are dropped, then the oldest. */
const MAX_ENTRIES = 10_000;

interface Entry {
  actions: Promise<RolloutAction[]>;
  expiresAt: number;
}

/**
 * Remembers, per user and entity, which actions the tab may offer, so the
 * polling tab does not ask the permission backend (and, for the ownership
 * condition, the catalog) on every read. It only decides which buttons are
 * enabled: every action is authorized again, uncached, when it is taken, so
 * a stale entry can never let a change through. Per replica; concurrent reads
 * share one authorize call.
 */
export class AllowedActionsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly permissions: PermissionsService,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ALLOWED_ACTIONS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  get(
    credentials: BackstageCredentials,
    resourceRef: string,
  ): Promise<RolloutAction[]> {
    const compute = () =>
      authorizeRolloutActions({
        permissions: this.permissions,
        credentials,
        resourceRef,
      });
    const principal = credentials.principal as
      | { type?: string; userEntityRef?: string }
      | undefined;
    // Only users are offered actions (and only they are worth remembering).
    if (
      this.ttlMs <= 0 ||
      principal?.type !== 'user' ||
      !principal.userEntityRef
    ) {
      return compute();
    }
    const key = `${principal.userEntityRef}\u0000${resourceRef}`;
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.actions;

    const actions = compute();
    this.remember(key, { actions, expiresAt: now + this.ttlMs });
    // A failed check is not remembered: the next read asks again.
    actions.catch(() => {
      if (this.entries.get(key)?.actions === actions) this.entries.delete(key);
    });
    return actions;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [k, e] of this.entries) {
        if (e.expiresAt <= now) this.entries.delete(k);
      }
      // Maps iterate in insertion order: the first key is the oldest.
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    this.entries.set(key, entry);
  }
}
