/*
 * A change is recorded before its write (status `pending`) and then given its
 * outcome (`applied`, `refused`, `failed`, `unknown`), so a backend that stops
 * between the write and the row never loses a change that reached the
 * cluster. Rows from before this migration were written after an applied
 * write, hence the default. `objects` (JSON text: the objects the plan
 * patches, in order) and `resource_version` (of the VirtualService the plan was
 * made on) are what resolving a pending row later needs.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.string('status').notNullable().defaultTo('applied');
    table.text('objects').nullable();
    table.string('resource_version').nullable();
    table.timestamp('outcome_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'status'], 'rollout_history_status_idx');
    // Unresolved rows are few: reads look them up by status, then rollout.
    table.index(['status', 'rollout_id'], 'rollout_history_unresolved_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropIndex(['entity_ref', 'status'], 'rollout_history_status_idx');
    table.dropIndex(['status', 'rollout_id'], 'rollout_history_unresolved_idx');
  });
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('status');
    table.dropColumn('objects');
    table.dropColumn('resource_version');
    table.dropColumn('outcome_at');
  });
};
