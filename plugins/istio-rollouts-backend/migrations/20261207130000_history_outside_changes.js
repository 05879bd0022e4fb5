/*
 * Changes a read finds that Backstage did not make (action `outsideChange`).
 * `observed_version` is the VirtualService's resourceVersion the change was
 * first read at: with the rollout and route it is unique, so every backend
 * replica that reads the same outside state inserts the same row once (NULL,
 * on every other row, never collides). `outside` is JSON text: the field
 * manager, operation and time its managedFields gave, if any.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.string('observed_version').nullable();
    table.text('outside').nullable();
    table.unique(
      ['rollout_id', 'route_kind', 'route_index', 'observed_version'],
      { indexName: 'rollout_history_outside_uniq' },
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropUnique(
      ['rollout_id', 'route_kind', 'route_index', 'observed_version'],
      'rollout_history_outside_uniq',
    );
  });
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('observed_version');
    table.dropColumn('outside');
  });
};
