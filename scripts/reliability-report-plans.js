/*
 * The "Step plans" section of docs/reliability.md, rendered by
 * scripts/reliability-report.js from what test/reliability/src/plans.test.ts
 * (`plans`) and plans.replicas.postgres.test.ts (`plans-replicas-postgres`)
 * recorded.
 */

const seconds = value => `${value} s`;

function sqliteSuite(r) {
  const h = r.healthy ?? {};
  const f = r.failing ?? {};
  const m = r.manualPause ?? {};
  const o = r.outsideEdit ?? {};
  return [
    `The backend runs the plans itself (its scheduler tasks \`istio-rollouts-plan-runner\` and \`…-2\`, every ${r.tickSeconds} s: \`istioRollouts.plans.tickSeconds: ${r.tickSeconds}\`), against a kube-sim cluster whose Istio telemetry a real Prometheus scrapes every second (rates over 10 s). Every step is a guarded PATCH through the actions service, counted in the cluster's request log.`,
    `**A healthy canary runs unattended**: \`${h.rollout}\`, ${
      h.steps
    } steps — weights ${(h.weights ?? []).join(
      ' → ',
    )} with an analysis between each (a 10 s window measured after 10 s, passing after one healthy measurement, failing after two failing ones). Completed in ${seconds(
      h.seconds,
    )}, every analysis ${[...new Set(h.analyses ?? [])].join(', ')}; **${
      h.patches
    } PATCHes for ${(h.weights ?? []).length} weight steps (${
      h.patchesPerWeightStep
    } per step)**, ${(h.secondsBetweenPatches ?? [])
      .map(seconds)
      .join(
        ' / ',
      )} apart; the route ends at 100 % canary in the cluster, and each step has its history row (${
      h.historyRows
    }), made by the plan as the user who started it.`,
    `**A failing canary is rolled back by itself**: \`${
      f.rollout
    }\`, the canary's Deployment answering ${
      f.canaryErrorRate * 100
    } % of its requests with 503. Rolled back **${seconds(
      f.secondsFromWeightToRollback,
    )} after its first weight** (failureLimit ${f.failureLimit} × interval ${
      f.intervalSeconds
    } s = ${f.failureLimit * f.intervalSeconds} s, plus the tick), after ${
      (f.analyses ?? []).length
    } measurements (${[...new Set(f.analyses ?? [])].join(', ')}); ${
      f.patches
    } PATCHes (the weight, the roll back), the route back at 100 % stable, the plan \`rolledBack\` with the reason "${
      f.reason
    }", which the roll back's history row carries too.`,
    `**\`pause: {}\` waits for a person**: ${seconds(m.waitedSeconds)} (${
      m.ticksWaited
    } ticks) paused at that step (\`pause.kind: step\`), ${
      m.patchesWhilePaused
    } PATCHes and no change of the plan's state meanwhile; Resume with the VirtualService's current resourceVersion took it to the end (${
      m.patches
    } PATCHes in all).`,
    `**An outside edit pauses the plan, which never overwrites it**: during a timed pause of a plan on \`${
      o.rollout?.split(' ')[0]
    }\`, a JSON patch of the route's weights sent straight to the cluster, as \`kubectl patch --type json\` does (field manager \`kubectl-edit\`). The plan was paused (\`changedOutside\`) **${
      o.msFromEditToPause
    } ms after the edit**, with "${o.message}" — ${
      o.patchesAfterEdit
    } PATCHes of the plan afterwards, and the edit's weights still in the VirtualService. (That edit, and the Deployment annotation that made the failing canary fail, are the suite's own writes outside the plugin: they are left out of the count of changes without a history record below.)`,
  ];
}

function replicaSuite(r) {
  const t = r.twoReplicas ?? {};
  const k = r.kill ?? {};
  const pending = (k.historyStatuses ?? []).filter(s => s !== 'applied');
  return [
    `**Two replicas on one PostgreSQL** (fresh databases \`${
      /(\S+_\*)/.exec(r.database)?.[1]
    }\`; each replica its own port and its own token for the cluster, so the cluster's request log tells which sent what): a plan of ${
      t.steps
    } steps, weights ${(t.weights ?? []).join(
      ', ',
    )} with pauses of 2 s between, ran in ${seconds(t.seconds)}: **${
      t.patches
    } PATCHes for ${(t.weights ?? []).length} weight steps** (${
      t.patchesPerWeightStep
    } per step), each logged by exactly one replica (by replica, in order: \`${
      t.stepsByReplica
    }\` — whichever replica's tick claims a plan's lease moves it).`,
    `**The replica taking a step killed in the middle of it**: ${
      k.killed
    } — it died holding one of the runner's two scheduler slots and the plan's lease, with the step written and the plan's new state not stored. The other replica took the plan over after **${seconds(
      k.takeoverSeconds,
    )}** (the lease, one tick but at least 5 s, lapsed unrenewed, and the other slot's next tick claimed it; the dead replica's slot itself stays held until the task's timeout, 30 s, and the scheduler's janitor, every minute, free it), found the step already applied ("${
      k.killedStep
    }") and did not write it again: **${k.patches} PATCHes for ${
      (k.weights ?? []).length
    } weight steps** (by replica: \`${
      k.stepsByReplica
    }\`); the plan completed ${seconds(
      k.secondsFromKillToCompleted,
    )} after the kill.${
      pending.length
        ? ` The killed step's history row stayed \`${pending.join(
            ', ',
          )}\` although the plan found it applied (statuses: ${k.historyStatuses.join(
            ', ',
          )}): a defect, reported.`
        : ' Every step has its history row `applied`, the killed one included.'
    }`,
  ];
}

/** The section's paragraphs, and the suites it found no figures of. */
function plansSection(suites) {
  const parts = ['## 9. Step plans'];
  const missing = [];
  if (suites.plans) parts.push(...sqliteSuite(suites.plans));
  else {
    parts.push('_plans: not measured in the last run._');
    missing.push('plans');
  }
  const replicas = suites['plans-replicas-postgres'];
  if (replicas) parts.push(...replicaSuite(replicas));
  else {
    parts.push(
      '_plans-replicas-postgres: not measured in the last run (no PostgreSQL server given)._',
    );
    missing.push('plans-replicas-postgres');
  }
  return { parts, missing };
}

module.exports = { plansSection };
