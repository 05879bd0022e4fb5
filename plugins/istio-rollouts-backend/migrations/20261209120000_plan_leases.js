/*
 * Per-plan leases, so that a replica that dies in the middle of a step is
 * replaced as soon as its lease lapses instead of when Backstage's scheduler
 * frees the task it held (its timeout, then the janitor's next minute).
 * `lease_owner` is the replica moving the plan now; `lease_expires_at` (epoch
 * milliseconds, alike on SQLite and PostgreSQL) is when another may take it.
 * The replica renews it while it works on the plan and clears it after.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_plans', table => {
    table.string('lease_owner').nullable();
    table.bigInteger('lease_expires_at').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_plans', table => {
    table.dropColumn('lease_owner');
    table.dropColumn('lease_expires_at');
  });
};
