#!/usr/bin/env node
/*
 * `npm run reliability:report`: renders docs/reliability.md from what the
 * last run of the reliability suites measured
 * (.data/test-results/reliability.json, written by the suites themselves),
 * plus, when `npm test` left it, Jest's report for the suites' durations.
 */
const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const { plansSection } = require('./reliability-report-plans');

const root = path.resolve(__dirname, '..');
const resultsFile = path.join(root, '.data/test-results/reliability.json');
const jestFile = path.join(root, '.data/test-results/jest.json');
const out = path.join(root, 'docs/reliability.md');

/** What the suites found in the product, and how it was fixed (kept by hand: a run cannot know). */
const FIXES = [
  {
    found: 'Suite 2 (faults during writes)',
    defect:
      'A write whose answer was lost after the API server had committed it — a 5xx, a late answer past the cluster budget, a cut connection — was reported as a failure (`503 Could not change …`, or "may or may not have been applied"), with no history row, although the cluster had the change; for `startCanary` the DestinationRule subset was then left added while the action was reported failed (the cluster ended *between* before and after, in 3 of 42 cases).',
    fix: 'After a failure that does not rule out the write (a timeout, a network error, a 5xx), the writer reads the object back and compares it with the object the plan started from and with the plan applied to it (`actions/patchLanding.ts`, `applyObjectPatch` in the common package). Made: the action goes on, answers 200 with a `warning` that the answer was lost, and records it in the history. Not made: the error says for sure that nothing was changed. Only if the read-back fails too does it still say "may or may not have been applied". kube-sim gained faults with `"after": true` (the write is made, then its answer is delayed, replaced or dropped) to reproduce it.',
    tests:
      '`patchLanding.test.ts`, `RolloutWriter.test.ts` (5 new cases), `RolloutActionsService.test.ts`, `service/actions.test.ts` ("a write whose answer is lost"), kube-sim `faults.test.ts` and `integration.test.ts`',
  },
  {
    found: 'Suite 4 (bad input)',
    defect:
      'Some fields had no upper bound: a 90 KB `resourceVersion` passed validation, made the backend read the cluster, and came back inside the 409 message and the audit log line; `route.name` and the number of `weights` keys were unbounded too.',
    fix: 'The OpenAPI document bounds them — `resourceVersion` at most 128 characters, `route.name` 253, `weights` 64 destinations — so such a request is a 400 naming the field before anything else happens, and no refusal echoes a large value.',
    tests: 'suite 4 itself (long values under the body limit)',
  },
  {
    found: 'Suite 4 (bad input)',
    defect:
      'A wrong method on an endpoint (`PUT …/rollouts/actions`, `DELETE …/rollouts`) and an unknown path under `/api/istio-rollouts/v1` (e.g. raw `..` segments) got an empty 404: no message naming the problem.',
    fix: "The router answers a wrong method with `405 MethodNotAllowedError` and an `Allow` header naming the methods the route serves, and any other path under `/v1` with a `404 NotFoundError` pointing at the OpenAPI document, in Backstage's error shape.",
    tests: 'suite 4 itself (wrong method, invalid entity ref or path)',
  },
  {
    found: 'Suite 5 (permissions)',
    defect:
      'The read endpoint offered a service principal (a static external access token) every action in `allowedActions`, while the actions endpoint refuses any caller who is not a user: a script trusting the read would be told it may act and then get 403.',
    fix: '`authorizeRolloutActions` offers nothing to a caller that is not a user, so what a read offers is exactly what the caller can do — the suite checks that for every caller under every policy.',
    tests:
      '`permissions/allowedActions.test.ts`, suite 5 (offered actions = actions that succeed)',
  },
];

/** What the suites showed that is not a defect of the product, but an operator should know. */
const NOTES = [
  "Service principals are not subject to the permission policy: Backstage decides their permissions by the access restrictions of their external access entry (`backend.auth.externalAccess[].accessRestrictions`). A static token without restrictions may read every entity's rollouts even under the `deny` policy; it can never act, since only users may. Restrict such tokens to the plugins and permissions they need.",
  "A body over the JSON body limit (100 KB) is answered `400 request entity too large` by Backstage's OpenAPI router, not 413.",
  "The per-cluster budget (`istioRollouts.clusterTimeoutMs`) is wall-clock time in the backend, which includes time its single thread is busy. With fifty actions at once on a 2-core machine the 1500 ms budget of the fault suites expired on reads, so the concurrency suite runs with the default 5000 ms; size the budget for bursts, not only for the cluster's latency.",
  'Entity refs are case-insensitive in Backstage: `…/entities/component/default/Reviews/…` is `reviews`, and acts on it.',
  "Whoever may register catalog entities (`catalog.location.create`, which the demo policy allows every user) can copy another team's `backstage.io/kubernetes-id`. The plugin then makes the objects read-only for every claimant (`SharedClaim`) instead of trusting either: nobody takes over another team's traffic, but the owner's controls stay locked until the copy is removed from the catalog. Review who may register locations.",
  "A burst of reads shares the backend's one thread and, in CI, two cores with the other suites' backends: the read suite allows a burst's median a second and a half more than a single read (which must answer within the budget plus a second), checks that no read waited for the slow cluster, and that the requests served meanwhile took (at the median) less than half the fastest read: they did not wait for the reads, whatever the machine's load (when the twenty reads time out together, building their answers can hold the thread for a moment, so a few are slower).",
];

function table(header, rows) {
  const line = cells =>
    `| ${cells.map(c => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}

function counts(object) {
  return Object.entries(object ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

function durations() {
  try {
    const jest = JSON.parse(fs.readFileSync(jestFile, 'utf8'));
    const files = jest.testResults.filter(r =>
      r.name.includes(`${path.sep}test${path.sep}reliability${path.sep}`),
    );
    if (!files.length) return undefined;
    return files.map(r => ({
      file: path.relative(root, r.name),
      seconds: Math.round((r.endTime - r.startTime) / 100) / 10,
      status: r.status,
    }));
  } catch {
    return undefined;
  }
}

/** Every `historyCheck` a suite recorded, wherever in its results (a suite may run twice, e.g. with and without the watch cache). */
function historyChecks(value, found = []) {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'historyCheck' && v) found.push(v);
      else historyChecks(v, found);
    }
  }
  return found;
}

function historyCheckSummary(suites) {
  const rows = Object.entries(suites)
    .map(([name, r]) => {
      const checks = historyChecks(r);
      if (!checks.length) return undefined;
      const sum = key => checks.reduce((n, c) => n + (c[key] ?? 0), 0);
      return {
        name,
        runs: checks.length,
        vs: sum('virtualServiceWrites'),
        dr: sum('destinationRuleWrites'),
        events: sum('historyEvents'),
        unrecorded: checks.reduce((n, c) => n + c.unrecorded.length, 0),
        noFieldManager: checks.reduce(
          (n, c) => n + (c.withoutFieldManager?.length ?? 0),
          0,
        ),
      };
    })
    .filter(Boolean);
  if (!rows.length) return ['_Not measured in the last run._'];
  const total = key => rows.reduce((n, row) => n + row[key], 0);
  return [
    `Every write a simulated cluster applied to a VirtualService or a DestinationRule — counted by the simulator's API, so a write whose answer a fault delayed, replaced or lost counts too — is matched against the backend's history at the end of each suite: each VirtualService patch needs its own history event for that rollout, recorded before or at the patch and not \`refused\`; each DestinationRule patch needs a \`startCanary\` event in that cluster and namespace, recorded before it (at most two: the subset added, and removed again when the rest of the action failed); any other write is unrecorded. **Over the whole run: ${total(
      'vs',
    )} VirtualService and ${total('dr')} DestinationRule writes, ${total(
      'unrecorded',
    )} without a history record; patches without \`fieldManager=backstage-istio-rollouts\`: ${total(
      'noFieldManager',
    )}.**`,
    table(
      [
        'suite',
        'backends',
        'VirtualService writes',
        'DestinationRule writes',
        'history events',
        'unrecorded',
        'without fieldManager',
      ],
      rows.map(row => [
        row.name,
        row.runs,
        row.vs,
        row.dr,
        row.events,
        row.unrecorded,
        row.noFieldManager,
      ]),
    ),
  ];
}

function trustBoundary(r) {
  const modes = Object.entries(r.modes ?? {});
  if (!modes.length) return ['_No figures._'];
  const out = [];
  const [, f] = modes[0];
  const u = f.unsafeSelectors ?? {};
  const c = f.sharedClaims ?? {};
  const d = f.plantedDestinationRules ?? {};
  const i = f.impersonation ?? {};
  const p = f.policies ?? {};
  const k = f.crash ?? {};
  out.push(
    `Hostile catalog entities are registered while the backend runs, the way any user registers a component, and removed again; ${
      modes.length
    } runs: ${modes.map(([m]) => m).join(', ')}.`,
    table(
      [
        'run',
        'foreign objects read',
        'writes to foreign objects',
        'PATCHes without fieldManager',
        'changes without a history record',
      ],
      modes.map(([m, x]) => [
        m,
        x.foreignObjectsRead,
        x.foreignWrites,
        `${x.fieldManager?.withoutFieldManager} of ${x.fieldManager?.patches}`,
        x.historyCheck?.unrecorded?.length,
      ]),
    ),
    `**Selectors without an equality requirement** (${(u.selectors ?? [])
      .map(x => `\`${x}\``)
      .join(
        ', ',
      )}), on entities owned by the guest's team: each read answered \`notConfigured\` (${[
      ...new Set(Object.values(u.notConfigured ?? {}).map(n => n.reason)),
    ].join(
      ', ',
    )}) naming the selector, with no rollout; every action through them, aimed at real VirtualServices of the cluster with their resourceVersion, answered ${counts(
      u.actions,
    )}; nothing was written. They claim nothing either: \`reviews\` kept its controls meanwhile.`,
    `**A second claimant of another team's VirtualService**: ${(
      c.claimants ?? []
    )
      .map(a =>
        Object.entries(a)
          .map(([key, v]) => `\`${key}: ${v}\``)
          .join(' '),
      )
      .join(
        ' and ',
      )} (owned by team-bookinfo; \`web-service\` is team-web's). The catalog had processed them ${
      c.catalogProcessedMs
    } ms after the registration; ${
      c.ownerReadOnlyAfterMs
    } ms after it, the owner's read showed web-service read-only (\`allowedActions: []\`, \`readOnly: SharedClaim\`) with the finding: "${
      c.finding?.message
    }" Every claimant saw it the same way. Actions, the owner's and the claimants': ${Object.entries(
      c.refusedActions ?? {},
    )
      .map(([e, st]) => `${e} ${st.join(', ')}`)
      .join('; ')} (409 \`SharedClaim\`), nothing written. ${
      c.ownerControlsBackAfterMs
    } ms after the claimants were removed the owner had the controls back (claims reused ${
      c.claimsTtlMs
    } ms), and its change went through.`,
    `**DestinationRules planted in another namespace** with \`reviews\`' label: ${(
      d.planted ?? []
    ).join(
      '; ',
    )}. None of their subsets appeared in reviews' rollout (its \`v1\` kept its own labels); \`startCanary\` with a planted subset, and the planter's entity aiming at reviews, answered ${counts(
      d.actions,
    )}; the planter's own VirtualService it could change, and nothing else.`,
    `**Impersonation** (a cluster with \`impersonate: true\` whose RBAC lets the plugin's token read and impersonate, and team-bookinfo patch in \`bookinfo\` only): the guest's change in \`bookinfo\` answered ${
      i.allowed?.status
    }, sent as \`Impersonate-User: ${
      i.allowed?.impersonatedUser
    }\` with \`Impersonate-Group: ${(i.allowed?.impersonatedGroups ?? []).join(
      ', ',
    )}\`; in \`default\` it answered ${i.refused?.status}: "${
      i.refused?.message
    }" — ${i.refused?.changed} objects changed.`,
    `**Permissions mean what they say**: with \`update-only\`, reviews offered ${(
      p.updateOnly?.offered ?? []
    ).join(
      ', ',
    )}; \`setWeights\` v1 0 / v2 100 on its 50/50 route (stable subset v1) answered ${
      p.updateOnly?.['setWeights v1 0 / v2 100']
    } ("${p.updateOnly?.['setWeights v1 0 / v2 100 message']}"), \`promote\` ${
      p.updateOnly?.promote
    }, \`setWeights\` v1 90 / v2 10 ${
      p.updateOnly?.['setWeights v1 90 / v2 10']
    }. With \`no-read\`: read ${p.noRead?.read}, \`setWeights\` ${
      p.noRead?.setWeights
    }, \`rollback\` ${p.noRead?.rollback} ("${p.noRead?.message}").`,
    `**A crash between the PATCH and its answer**: ${k.fault}. The action got ${k.actionAnswer}; after the restart on the same database the history held the change as \`${k.statusBeforeRead}\`, and after the next read of the entity as \`${k.statusAfterRead}\`.`,
  );
  if (modes.length > 1) {
    out.push(
      `The other run${modes.length > 2 ? 's' : ''}: ${modes
        .slice(1)
        .map(
          ([m, x]) =>
            `${m}: shared claim seen after ${x.sharedClaims?.ownerReadOnlyAfterMs} ms, controls back after ${x.sharedClaims?.ownerControlsBackAfterMs} ms, crash recorded \`${x.crash?.statusBeforeRead}\` → \`${x.crash?.statusAfterRead}\``,
        )
        .join('; ')}.`,
    );
  }
  return out;
}

function render(results) {
  const s = results.suites;
  const parts = [];
  const missing = [];
  const suite = (key, title, body) => {
    parts.push(`## ${title}`);
    if (!s[key]) {
      missing.push(key);
      parts.push('_Not measured in the last run._');
      return;
    }
    parts.push(...body(s[key]));
  };

  parts.push(
    '# Reliability and security',
    '<!-- Rendered by `npm run reliability:report` from .data/test-results/reliability.json; edit scripts/reliability-report.js, not this file. -->',
    "The suites in [`test/reliability`](../test/reliability) attack the **real demo backend** (`packages/backend`, started as its own Node process from its sources with `--config app-config.yaml --config <generated>`) over HTTP on loopback, with [kube-sim](../packages/kube-sim/README.md) clusters and their fault injection standing in for Kubernetes. Nothing on the code path under test is mocked: requests go through Backstage's auth, the permission backend with the demo policy, the catalog, the plugin, `@kubernetes/client-node` and the simulator's HTTP API.",
    '### How they are run',
    [
      "- **Clusters**: kube-sim in the test process, on free loopback ports, loaded with `examples/clusters/*` and the suites' fixtures, each accepting only a bearer token made up for the run.",
      '- **Backend**: a free port (never 3000/7007/6551/6552), a fresh SQLite folder per run (fresh PostgreSQL databases, `backend.database.prefix`, for the restart suite and the step-plan replicas suite when `BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING` is set), the catalog of `examples/catalog` plus `test/reliability/fixtures/catalog.yaml`, the simulators in `istioRollouts.clusters` (with `allowInsecureHttp: true`: kube-sim is plain http on loopback, which the plugin otherwise refuses with a token), `istioRollouts.clusterTimeoutMs: 1500`, `istioRollouts.cache.claimsTtlMs: 500` (so a claimant registered or removed at runtime is seen quickly), JSON logs (`NODE_ENV=production`), stdout and stderr captured line by line. Ready when `/.backstage/health/v1/readiness` answers and the catalog holds the entities with their relations. Stopped in `afterAll`, and killed when the test process exits whatever happened.',
      "- **Caches**: by default `istioRollouts.cache` is off (no watch cache, offered actions asked on every read), so every read meets the injected faults and the policy switched at runtime. The read-fault, permission and trust-boundary suites run a second time with the watch cache on, the product's default; there the suites wait until a read shows a change they made in a cluster (it arrives through the watch), wait out the offered actions' ttl (1 s) after switching the policy, and check that a read right after a write shows it.",
      '- **Catalog entities at runtime** (suite 8) are registered the way a user registers a component, `POST /api/catalog/locations` with a user token, and removed with `DELETE /api/catalog/locations/:id`; the suite waits until `GET /api/catalog/entities/by-name/…` shows (or stops showing) them. The location is of type `url`, a YAML file served by the test process (allowed with `backend.reading.allow`): the catalog accepts no other type through its API unless a backend module widens its allowed location types.',
      '- **Every change reaches the history**: each simulated cluster keeps every write it applied (whatever then became of the answer: delayed, replaced or lost by an injected fault), and every suite ends by comparing them with the backend\'s history (see "Changes without a history record" below).',
      "- **Callers**, made with the backend's own features: users sign in through the guest provider, whose `auth.providers.guest.userEntityRef` sits in a small config file of its own that Backstage watches — rewriting it signs the next guest in as another user (`guest`, a member of team-bookinfo; `sam`, of team-web), with their groups from the catalog. A **service principal** is a static external access token (`backend.auth.externalAccess`, `type: static`). **No credentials** is no `Authorization` header. The demo policy's mode, `istioRolloutsDemo.policy` (`owner`, `allow`, `deny`, `update-only`, `no-read`; see below), is in the same watched file, and the harness waits until the permission backend decides with the new mode.",
      "- **Audit**: the `rollout-action` events the auditor service writes to the backend's log are read back from its captured output.",
    ].join('\n'),
    [
      '```sh',
      'CI=true npx backstage-cli repo test --maxWorkers=2 test/reliability   # also part of `npm test`',
      'npm run reliability:report                                          # renders this file from the last run',
      '```',
    ].join('\n'),
    `Last run: ${results.updatedAt} on ${results.machine.cpus} cores, Node ${
      results.machine.node
    }, load average ${results.machine.loadAverage.join(' / ')}.`,
  );

  const runtimes = durations();
  if (runtimes) {
    const total = runtimes.reduce((n, r) => n + r.seconds, 0);
    parts.push(
      table(
        ['suite file', 'seconds', 'result'],
        runtimes.map(r => [r.file, r.seconds, r.status]),
      ),
      `Sum of the files' durations: ${Math.round(
        total,
      )} s (they run on two Jest workers, beside the other packages' tests).`,
    );
  }

  suite('concurrentWriters', '1. Concurrent writers', r => {
    const o = r.oneShot ?? {};
    const w = r.withRetries ?? {};
    return [
      `**${
        o.writers
      } clients at once**, each reading the rollout and then setting different weights on \`reviews-route\` with the resourceVersion it read: ${counts(
        o.statuses,
      )}. ${o.succeeded} succeeded and ${
        o.conflicts
      } were refused as conflicts — ${
        o.conflictsCaughtBeforeWriting
      } seen by the backend before writing, ${
        o.conflictsRefusedByApiServer
      } refused by the API server's guard on the patch (${
        o.patchesSent
      } patches sent). The cluster holds exactly the winning request's weights (${counts(
        o.finalWeights,
      )}); \`applied\` history rows: ${o.historyRows} = number of 200s, and ${
        o.refusedHistoryRows ?? 0
      } \`refused\` = patches the API server refused (the intent is recorded before each PATCH); no other field of the VirtualService, and no other object, changed; the audit log counts the same applied and conflicting attempts.`,
      `**${
        w.writers
      } clients that reload and retry on 409** until each has written: ${
        w.attempts
      } attempts (${counts(w.statuses)}), at most ${
        w.mostAttemptsByOneWriter
      } by one client. ${w.historyRows} \`applied\` history rows (and ${
        w.refusedHistoryRows ?? 0
      } \`refused\`, one per patch the API server refused), ${
        w.generationsAdded
      } generations added to the object, and the applied rows form one unbroken chain — each starts exactly where the previous one ended — so no update was lost.`,
    ];
  });

  suite('writeFaults', '2. Faults during writes', r => [
    `Every action (${r.actions
      .map(
        a =>
          `\`${a.action}\` ${
            a.writes.length === 1
              ? '1 write'
              : `${a.writes.length} writes: ${a.writes.join(', ')}`
          }`,
      )
      .join('; ')}) with each of its writes hit in turn by each fault, ${
      r.injected
    } faults injected: ${r.faults.join(
      ', ',
    )}. Before each, a dry run gives the exact patches; afterwards the cluster must equal either the state before or that state with the patches applied.`,
    `Cluster afterwards: **${r.endedBefore} exactly before, ${r.endedAfter} exactly after, ${r.endedBetween} in between.** A 200 always meant "after" (an \`applied\` history row, an \`applied\` audit event and a warning that the answer was lost), an error always "before" (a history row \`refused\` for a 409, \`failed\` otherwise — the intent is recorded before the first PATCH, its outcome after — and a \`failed\`/\`conflict\` audit event carrying the message); a 5xx names the cluster and says nothing was changed, a 409 says to reload.`,
    table(
      [
        'action',
        'write',
        'fault',
        'answer',
        'cluster',
        'history',
        'audit',
        'ms',
      ],
      r.cases.map(c => [
        c.action,
        `${c.write}/${c.writes} ${c.object}`,
        c.fault,
        c.status,
        c.cluster,
        c.historyStatus
          ? `${c.historyRowsAdded} ${c.historyStatus}`
          : c.historyRowsAdded,
        c.audit,
        c.ms,
      ]),
    ),
  ]);

  suite('readFaults', '3. Faults during reads', r => {
    const c = r.concurrent ?? {};
    return [
      `Four clusters: ${r.clusters.join(', ')}; budget ${
        r.clusterTimeoutMs
      } ms. One read of \`reviews\` answered in **${r.single?.ms} ms** (limit ${
        r.clusterTimeoutMs + 1000
      }) with ${r.single?.clusters
        .map(x => `${x.name} ${x.status}${x.reason ? ` (${x.reason})` : ''}`)
        .join(
          ', ',
        )}, the healthy cluster's rollout, and each error naming its cluster.`,
      `${c.reads} such reads at once took ${c.readMs?.min}–${
        c.readMs?.max
      } ms (median ${c.readMs?.median}; limits: median ${
        c.medianLimitMs ?? '—'
      } ms, each ${c.maxLimitMs ?? '—'} ms, the slow cluster answering after ${
        c.slowClusterMs ?? '—'
      } ms); meanwhile ${
        c.otherRequests
      } other requests (plugin health, a catalog entity, an entity without Istio objects, history, liveness) all answered 200, the slowest in ${
        c.otherRequestsSlowestMs
      } ms (median ${
        c.otherRequestsMedianMs
      } ms, limit: half the fastest read) — none waited for the reads, nor for the slow cluster. With the faults cleared, the next read had every reachable cluster again (${
        r.recovered?.ms
      } ms).`,
      ...(r.watchCache
        ? [
            `**With the watch cache** (the product's default): one read answered in ${r.watchCache.single?.ms} ms with the same clusters' statuses; ${r.watchCache.concurrent?.reads} reads at once took ${r.watchCache.concurrent?.readMs?.min}–${r.watchCache.concurrent?.readMs?.max} ms (median ${r.watchCache.concurrent?.readMs?.median}) and listed ${r.watchCache.concurrent?.healthyClusterLists} times from the healthy cluster (its objects came from memory; ${r.concurrent?.healthyClusterLists} lists without the cache), ${r.watchCache.concurrent?.otherRequests} other requests meanwhile, the slowest in ${r.watchCache.concurrent?.otherRequestsSlowestMs} ms; whole again once the faults were gone (${r.watchCache.recovered?.ms} ms).`,
          ]
        : []),
    ];
  });

  suite('badInput', '4. Bad input', r => [
    `**${r.requests} generated malformed requests** (fast-check, seed ${
      r.seed
    }): ${counts(
      r.statuses,
    )} — every one a 4xx whose message names the problem (the field, the parameter, the JSON error, the size, the method). **Writes observed in the cluster: ${
      r.writesObserved
    }** (its request log and resourceVersion unchanged). Backend memory, measured after a first round of ${
      r.warmUpRequests ?? 0
    } such requests has grown the heap once: ${r.rssBeforeMb} MB before, ${
      r.rssAfterMb
    } MB after (${r.rssGrowthMb >= 0 ? '+' : ''}${
      r.rssGrowthMb
    } MB, limit +150 MB, after ${
      r.byCategory['1 MB body'] ?? 0
    } one-megabyte bodies); readiness ${
      r.healthyAfterwards ? 'OK' : 'FAILED'
    } afterwards, and the rollout still read the same.`,
    table(
      ['category', 'requests'],
      Object.entries(r.byCategory).sort((a, b) => b[1] - a[1]),
    ),
  ]);

  suite('permissions', '5. Permissions', r => {
    const parts5 = [
      `**${r.cases} cases**: ${r.callers.length} callers × ${
        r.operations.length
      } operations × ${r.policies.length} policy modes (${counts(
        r.byStatus,
      )}). Writes the policy did not allow: **${
        r.writesNotAllowedByPolicy
      }**; ${r.allowedWrites} allowed actions wrote. Refusals: ${
        r.refused
      }, of which ${
        r.refusedWithoutAnyKubernetesRequest
      } before any Kubernetes request (nothing read, nothing written). Denied answers that mentioned the objects (VirtualService, namespace, subsets, cluster, resourceVersion): **${
        r.deniedReadsThatLeaked
      }**. Reads whose \`allowedActions\` differed from the actions that then succeeded: **${
        r.offeredActionsThatDidNotMatch
      }**.`,
    ];
    if (r.watchCache) {
      const w = r.watchCache;
      parts5.push(
        `**With the watch cache** (the product's default; offered actions reused ${
          w.offeredActionsTtlMs
        } ms, the suite waiting that out after each policy switch): ${
          w.cases
        } cases, ${
          w.sameAnswersAsWithoutCache
            ? 'the same answer in every cell as without it'
            : '**answers that differ from the run without it**'
        }; writes the policy did not allow: **${
          w.writesNotAllowedByPolicy
        }**; refusals before any Kubernetes request: ${
          w.refusedWithoutAnyKubernetesRequest
        } of ${w.refused}; offered ≠ possible: **${
          w.offeredActionsThatDidNotMatch
        }**; reads right after a write that did not show it: **${
          w.readsAfterWriteThatMissedIt
        }**.`,
      );
    }
    parts5.push(
      '`update-only` lets owners read and update but never promote (`promote` and `switch` refused); `no-read` lets owners update and promote but nobody read — and every action needs read, so nobody can act.',
    );
    const ops = r.operations;
    for (const policy of r.policies) {
      const rows = r.callers.map(label => {
        const cells = ops.map(op => {
          const c = r.matrix.find(
            m =>
              m.policy === policy &&
              label === `${m.caller} (${m.who} on ${m.entity})` &&
              m.op === op,
          );
          return c ? c.status : '';
        });
        return [label, ...cells];
      });
      parts5.push(`Policy \`${policy}\`:`, table(['caller', ...ops], rows));
    }
    return parts5;
  });

  suite('boundaries', '6. Object boundaries and credentials', r => {
    const g = r.generatedRolloutIds ?? {};
    const c = r.credentials ?? {};
    const l = r.listedObjects ?? {};
    return [
      `Reading \`reviews\` lists exactly its two VirtualServices. Through \`reviews\`, every action (and its dry run) was aimed at ${
        l.targets?.length
      } objects it must not reach, with their real resourceVersion: ${(
        l.targets ?? []
      ).join('; ')} — ${
        l.attemptsPerTarget
      } attempts each, all refused (404, or 503 through the refusing cluster), **${
        l.writes
      } writes**. An entity cannot reach another one's VirtualService in its own namespace either.`,
      `**${
        g.tried
      } generated rolloutIds** (clusters, namespaces and names mixed with case, spaces, homoglyphs, zero-width characters, \`..\`, \`*\`): ${counts(
        g.statuses,
      )}; ids that named reviews' own objects (dry runs, answered 200): ${
        g.selectedHits
      }. Writes: **${g.writes}**.`,
      `**Credentials**: ${c.clusterTokensSearched} cluster tokens (one per cluster, one the cluster refuses) searched in ${c.responsesScanned} answers (${c.responseBytesScanned} bytes, ${c.errorAnswersNamingACluster} of them errors naming a cluster: 401, 500, cut connections, unreachable) and in ${c.logLinesScanned} lines the backend printed at ${c.logLevel} level: **found ${c.tokensFound} times**.`,
    ];
  });

  parts.push('## 7. Restarts');
  for (const key of ['restarts-sqlite', 'restarts-postgres']) {
    const r = s[key];
    if (!r) {
      parts.push(
        `_${key}: not measured in the last run (no PostgreSQL server given)._`,
      );
      missing.push(key);
      continue;
    }
    parts.push(
      `**${r.database.replace(
        /(\S+_\*)/,
        '`$1`',
      )}**: changes on ${r.entities.join(', ')}; ${
        r.rowsBeforeGracefulRestart
      } history rows before a graceful restart (SIGTERM), ${
        r.rowsAfterGracefulRestart
      } after; ${
        r.rowsBeforeCrash
      } before a crash (SIGKILL right after the last change was answered), ${
        r.rowsAfterCrash
      } after — **${
        r.rowsLost
      } lost**, every row unchanged, and new rows continued after them with unique ids. Backend starts took ${r.startMs
        .map(ms => `${(ms / 1000).toFixed(1)} s`)
        .join(', ')}.`,
    );
  }

  suite('trustBoundary', '8. Trust boundary', r => trustBoundary(r));

  const plans = plansSection(s);
  parts.push(...plans.parts);
  missing.push(...plans.missing);

  parts.push(
    '### Changes without a history record, over the whole run',
    ...historyCheckSummary(s),
  );

  parts.push(
    '## Defects found and fixed',
    'Each fixed in the product with its own tests, not worked around in the suites:',
    ...FIXES.map(
      (f, i) =>
        `${i + 1}. **${f.defect}** _(found by ${f.found})_\n\n   Fix: ${
          f.fix
        }\n\n   Tests: ${f.tests}`,
    ),
    '## Worth knowing',
    NOTES.map(n => `- ${n}`).join('\n'),
    '## The demo policy switch',
    "`packages/demo-permission-policy` (`@internal/demo-permission-policy`, installed by the demo and bench backends) reads `istioRolloutsDemo.policy` (declared in its `config.d.ts`): `owner` (the default) lets everyone read and only an entity's owners — the user or one of their groups, an `isEntityOwner` condition the catalog resolves — use `istio-rollouts.traffic.update` and `istio-rollouts.traffic.promote`; `allow` lets every user read and act; `deny` lets nobody read or act; `update-only` lets an entity's owners read and update but never promote; `no-read` lets an entity's owners update and promote but nobody read. Other plugins' permissions are allowed in every mode. The value is read at every decision, so a change in a watched config file applies without a restart; an unknown value stops the backend at startup, and one that appears later denies the Istio Rollouts permissions and says why in the log.",
  );
  if (missing.length) {
    parts.push(
      `_Suites without figures in the last run: ${missing.join(', ')}._`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function main() {
  if (!fs.existsSync(resultsFile)) {
    console.error(
      `No ${path.relative(
        root,
        resultsFile,
      )}: run the suites first (CI=true npx backstage-cli repo test --maxWorkers=2 test/reliability).`,
    );
    process.exit(1);
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const config = require('@backstage/cli/config/prettier.json');
  const markdown = prettier.format(render(results), {
    ...config,
    parser: 'markdown',
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, markdown);
  console.log(`Wrote ${path.relative(root, out)}`);
}

main();
