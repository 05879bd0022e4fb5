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
      '- **Backend**: a free port (never 3000/7007/6551/6552), a fresh SQLite folder per run (fresh PostgreSQL databases, `backend.database.prefix`, for the restart suite when `BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING` is set), the catalog of `examples/catalog` plus `test/reliability/fixtures/catalog.yaml`, `istioRollouts.clusterTimeoutMs: 1500` and `istioRollouts.cache` off (no watch cache, offered actions asked on every read, so every read meets the injected faults and the policy switched at runtime; the caches have their own suites in the plugin), JSON logs (`NODE_ENV=production`), stdout and stderr captured line by line. Ready when `/.backstage/health/v1/readiness` answers and the catalog holds the entities with their relations. Stopped in `afterAll`, and killed when the test process exits whatever happened.',
      "- **Callers**, made with the backend's own features: users sign in through the guest provider, whose `auth.providers.guest.userEntityRef` sits in a small config file of its own that Backstage watches — rewriting it signs the next guest in as another user (`guest`, a member of team-bookinfo; `sam`, of team-web), with their groups from the catalog. A **service principal** is a static external access token (`backend.auth.externalAccess`, `type: static`). **No credentials** is no `Authorization` header. The demo policy's mode, `istioRolloutsDemo.policy` (`owner`, `allow`, `deny`; see below), is in the same watched file, and the harness waits until the permission backend decides with the new mode.",
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
      )}); history rows: ${
        o.historyRows
      } = number of 200s; no other field of the VirtualService, and no other object, changed; the audit log counts the same applied and conflicting attempts.`,
      `**${
        w.writers
      } clients that reload and retry on 409** until each has written: ${
        w.attempts
      } attempts (${counts(w.statuses)}), at most ${
        w.mostAttemptsByOneWriter
      } by one client. ${w.historyRows} history rows, ${
        w.generationsAdded
      } generations added to the object, and the rows form one unbroken chain — each starts exactly where the previous one ended — so no update was lost.`,
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
    `Cluster afterwards: **${r.endedBefore} exactly before, ${r.endedAfter} exactly after, ${r.endedBetween} in between.** A 200 always meant "after" (with a history row, an \`applied\` audit event and a warning that the answer was lost), an error always "before" (no history row, a \`failed\`/\`conflict\` audit event carrying the message); a 5xx names the cluster and says nothing was changed, a 409 says to reload.`,
    table(
      [
        'action',
        'write',
        'fault',
        'answer',
        'cluster',
        'history rows',
        'audit',
        'ms',
      ],
      r.cases.map(c => [
        c.action,
        `${c.write}/${c.writes} ${c.object}`,
        c.fault,
        c.status,
        c.cluster,
        c.historyRowsAdded,
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
      `${c.reads} such reads at once took ${c.readMs?.min}–${c.readMs?.max} ms (median ${c.readMs?.median}); meanwhile ${c.otherRequests} other requests (plugin health, a catalog entity, an entity without Istio objects, history, liveness) all answered 200, the slowest in ${c.otherRequestsSlowestMs} ms (median ${c.otherRequestsMedianMs} ms) — none waited for the slow cluster. With the faults cleared, the next read had every reachable cluster again (${r.recovered?.ms} ms).`,
    ];
  });

  suite('badInput', '4. Bad input', r => [
    `**${r.requests} generated malformed requests** (fast-check, seed ${
      r.seed
    }): ${counts(
      r.statuses,
    )} — every one a 4xx whose message names the problem (the field, the parameter, the JSON error, the size, the method). **Writes observed in the cluster: ${
      r.writesObserved
    }** (its request log and resourceVersion unchanged). Backend memory: ${
      r.rssBeforeMb
    } MB before, ${r.rssAfterMb} MB after (+${
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
    "`packages/demo-permission-policy` (`@internal/demo-permission-policy`, installed by the demo and bench backends) reads `istioRolloutsDemo.policy` (declared in its `config.d.ts`): `owner` (the default) lets everyone read and only an entity's owners — the user or one of their groups, an `isEntityOwner` condition the catalog resolves — use `istio-rollouts.traffic.update` and `istio-rollouts.traffic.promote`; `allow` lets every user read and act; `deny` lets nobody read or act. Other plugins' permissions are allowed in every mode. The value is read at every decision, so a change in a watched config file applies without a restart; an unknown value stops the backend at startup, and one that appears later denies the Istio Rollouts permissions and says why in the log.",
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
