/*
 * The history of applied rollout changes. One row per write that reached a
 * cluster; route stanzas are stored as JSON text so SQLite and PostgreSQL
 * behave alike.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollout_history', table => {
    table.comment('Applied changes of Istio rollouts, newest last');
    table.bigIncrements('id').primary();
    table.string('entity_ref').notNullable();
    table.string('actor').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('rollout_id').notNullable();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('virtual_service').notNullable();
    table.string('route_kind').notNullable();
    table.integer('route_index').notNullable();
    table.string('route_name').nullable();
    table.string('action').notNullable();
    table.text('before').notNullable();
    table.text('after').notNullable();
    table.text('summary').notNullable();
    table.text('reason').nullable();
    table.text('warning').nullable();
    table.index(['entity_ref', 'id'], 'rollout_history_entity_idx');
    table.index(
      ['rollout_id', 'route_kind', 'route_index', 'id'],
      'rollout_history_route_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('rollout_history');
};
