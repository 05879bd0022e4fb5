import type { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const PLANS = 'rollout_plans';
/** Only plans the runner moves are leased: a paused or ended one waits for a person, or for nothing. */
const MOVING = ['running', 'aborting'];

/**
 * Which replica moves a plan now. Backstage's scheduler runs the plan runner as global tasks, but a replica that
 * dies while holding one keeps it until the task's timeout and the scheduler's janitor free it (a minute or more);
 * a lease on each plan, renewed while the replica works on it, lets another replica's next tick take the plan as
 * soon as the lease lapses. Leases only decide who moves a plan; every state change is still made at the version
 * read (PlanStore), and every route change under the resourceVersion read, so a replica that lost its lease while
 * stalled can never overwrite what the next one did.
 */
export class PlanLeases {
  static async create(database: DatabaseService): Promise<PlanLeases> {
    return new PlanLeases(await database.getClient());
  }

  constructor(
    private readonly db: Knex,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Takes the plan for `owner` until `ms` from now, when it is moving and nobody else holds an unexpired lease on
   * it; true when `owner` holds it now.
   */
  async claim(planId: string, owner: string, ms: number): Promise<boolean> {
    const now = this.clock();
    const changed = await this.db(PLANS)
      .where('id', Number(planId))
      .whereIn('status', MOVING)
      .where(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_expires_at', '<', now),
      )
      .update({ lease_owner: owner, lease_expires_at: now + ms });
    return changed === 1;
  }

  /** Extends `owner`'s lease to `ms` from now; false when it was lost (expired and taken by another replica). */
  async renew(planId: string, owner: string, ms: number): Promise<boolean> {
    const changed = await this.db(PLANS)
      .where('id', Number(planId))
      .where('lease_owner', owner)
      .update({ lease_expires_at: this.clock() + ms });
    return changed === 1;
  }

  /** Frees the plan for any replica's next tick (nothing when another replica holds it by now). */
  async release(planId: string, owner: string): Promise<void> {
    await this.db(PLANS)
      .where('id', Number(planId))
      .where('lease_owner', owner)
      .update({ lease_owner: null, lease_expires_at: null });
  }

  /**
   * Runs `work` while `owner` holds the plan's lease, renewed every third of `ms` meanwhile, and frees it after;
   * does nothing (false) when another replica holds it. `work` is handed `stillHeld`, to ask right before a change
   * that must not be made twice.
   */
  async hold(
    planId: string,
    owner: string,
    ms: number,
    work: (stillHeld: () => Promise<boolean>) => Promise<void>,
  ): Promise<boolean> {
    if (!(await this.claim(planId, owner, ms))) return false;
    let lost = false;
    const renew = async () => {
      if (!lost && !(await this.renew(planId, owner, ms))) lost = true;
      return !lost;
    };
    const heartbeat = setInterval(
      () => renew().catch(() => undefined),
      Math.max(100, Math.floor(ms / 3)),
    );
    heartbeat.unref?.();
    try {
      await work(renew);
    } finally {
      clearInterval(heartbeat);
      await this.release(planId, owner).catch(() => undefined);
    }
    return true;
  }

  /** Who holds the plan's lease and until when (epoch ms), for tests and diagnostics. */
  async holder(
    planId: string,
  ): Promise<{ owner: string; expiresAt: number } | undefined> {
    const row = await this.db(PLANS)
      .where('id', Number(planId))
      .first('lease_owner', 'lease_expires_at');
    return row?.lease_owner
      ? { owner: row.lease_owner, expiresAt: Number(row.lease_expires_at) }
      : undefined;
  }
}
