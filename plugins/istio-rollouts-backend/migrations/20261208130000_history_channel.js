/*
 * Where a change came from, when not the plugin's HTTP API: `channel` holds
 * the action of Backstage's actions registry that made it (an agent, through
 * MCP), e.g. `istio-rollouts:set-weights`. NULL on every other row.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.string('channel').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('channel');
  });
};
