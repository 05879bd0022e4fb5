/*
 * Every route a change touched, for actions that change more than one (a
 * blue/green switch rewrites the header route and the default route). JSON
 * text, null when the change touched only the row's own route.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.text('routes').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('routes');
  });
};
