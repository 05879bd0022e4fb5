/*
 * GitOps mode: a change proposed in Git rather than written to the cluster
 * (status `proposed`) keeps where it is — repository, branch, commit, pull
 * request — as JSON in `gitops`. NULL on every other row.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.text('gitops').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('gitops');
  });
};
