/*
 * Step plans. `rollout_plans` holds each plan and its state (JSON text, so
 * SQLite and PostgreSQL behave alike); `version` is bumped on every update,
 * which is only made where the version is still the one read (optimistic
 * locking: a command and the runner never overwrite each other).
 * `active_key` is `<rolloutId>#<kind>#<index>` while the plan has not ended,
 * NULL after: its unique index allows one plan at a time per route. The
 * actor's token (to ask the permission policy again as that user before a
 * promotion, as the scaffolder keeps a task's) is dropped when the plan ends
 * and never served. `rollout_plan_events` is each plan's own history;
 * `rollout_history.plan_id` / `plan_step` mark route changes a plan made.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollout_plans', table => {
    table.comment('Step plans of Istio rollouts and their state');
    table.bigIncrements('id').primary();
    table.string('entity_ref').notNullable();
    table.string('rollout_id').notNullable();
    table.string('route_kind').notNullable();
    table.integer('route_index').notNullable();
    table.string('route_name').nullable();
    table.string('active_key').nullable();
    table.string('status').notNullable();
    table.text('plan').notNullable();
    table.text('state').notNullable();
    table.string('started_by').notNullable();
    table.string('actor').notNullable();
    table.text('actor_token').nullable();
    table.text('reason').nullable();
    table.integer('version').notNullable().defaultTo(0);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['active_key'], { indexName: 'rollout_plans_active_uniq' });
    table.index(['entity_ref', 'id'], 'rollout_plans_entity_idx');
    table.index(['status'], 'rollout_plans_status_idx');
  });
  await knex.schema.createTable('rollout_plan_events', table => {
    table.comment('The history of each step plan, oldest first');
    table.bigIncrements('id').primary();
    table.bigInteger('plan_id').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('kind').notNullable();
    table.text('message').notNullable();
    table.string('actor').nullable();
    table.integer('step').nullable();
    table.string('history_id').nullable();
    table.index(['plan_id', 'id'], 'rollout_plan_events_plan_idx');
  });
  await knex.schema.alterTable('rollout_history', table => {
    table.string('plan_id').nullable();
    table.integer('plan_step').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollout_history', table => {
    table.dropColumn('plan_id');
    table.dropColumn('plan_step');
  });
  await knex.schema.dropTable('rollout_plan_events');
  await knex.schema.dropTable('rollout_plans');
};
