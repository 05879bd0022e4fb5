#!/usr/bin/env node
/*
 * The demo's stand-in for a reviewer and Argo CD (issue 17): merges the newest
 * `istio-rollouts/*` branch of the demo's GitOps repository into `main`
 * (fast-forward, as merging the pull request would), renders what demo-east's
 * Application syncs (overlays/demo-east, with the backend's own kustomize
 * renderer) at `main`, and writes it to demo-east as Argo CD does: with its
 * tracking annotation and its field manager, `argocd-controller`, so the
 * Rollouts tab's history shows the change as Argo CD's.
 *
 *   npm run demo:gitops-sync             merge the newest branch, then sync
 *   npm run demo:gitops-sync -- --reset  main back to its first commit, the
 *                                        plugin's branches deleted, then sync
 */
const fs = require('node:fs');
const {
  APPLICATION,
  BARE,
  SYNCED_PATH,
  inRepository,
} = require('./demo-gitops.js');

const CLUSTER = { name: 'demo-east', url: 'http://127.0.0.1:6551' };
const TOKEN = 'demo-rollouts-token';
const FIELD_MANAGER = 'argocd-controller';
const BRANCHES = 'refs/heads/istio-rollouts/';

const short = sha => sha.slice(0, 7);

function rev(ref) {
  return inRepository(['rev-parse', '--verify', '-q', ref]).trim();
}

function isAncestor(a, b) {
  try {
    inRepository(['merge-base', '--is-ancestor', a, b]);
    return true;
  } catch {
    return false;
  }
}

/** Fast-forwards `main` to the newest branch the plugin pushed, as a reviewer merging it would. */
function mergeNewestBranch() {
  const newest = inRepository([
    'for-each-ref',
    '--sort=-committerdate',
    '--count=1',
    '--format=%(refname:short)',
    BRANCHES,
  ]).trim();
  const main = rev('main');
  if (!newest) {
    console.log(
      `No istio-rollouts/* branch to merge; main is at ${short(main)}.`,
    );
    return;
  }
  const tip = rev(newest);
  if (isAncestor(tip, main)) {
    console.log(`${newest} is already in main (${short(main)}).`);
    return;
  }
  if (!isAncestor(main, tip)) {
    throw new Error(
      `${newest} does not fast-forward main (${short(
        main,
      )}): main moved since the branch was made. ` +
        'Make the change again from the Rollouts tab.',
    );
  }
  inRepository(['update-ref', 'refs/heads/main', tip, main]);
  console.log(
    `Merged ${newest} into main (fast-forward ${short(main)} → ${short(tip)}).`,
  );
}

/** `main` back to the repository's first commit, and every branch the plugin pushed deleted. */
function reset() {
  const first = inRepository(['rev-list', '--max-parents=0', 'main'])
    .trim()
    .split('\n')
    .pop();
  const main = rev('main');
  inRepository(['update-ref', 'refs/heads/main', first, main]);
  const branches = inRepository([
    'for-each-ref',
    '--format=%(refname)',
    BRANCHES,
  ])
    .split('\n')
    .filter(Boolean);
  for (const ref of branches) inRepository(['update-ref', '-d', ref]);
  console.log(
    `Reset main to its first commit ${short(first)}; deleted ${
      branches.length
    } istio-rollouts/* branch(es).`,
  );
}

/** The repository at `main`, read as the placement reads a checkout. */
function mainReader() {
  const object = p => `main:${p}`;
  const type = p => {
    try {
      return inRepository(['cat-file', '-t', object(p)]).trim();
    } catch {
      return undefined;
    }
  };
  return {
    async readFile(p) {
      return type(p) === 'blob' ? inRepository(['show', object(p)]) : undefined;
    },
    async listDirectory(p) {
      if (type(p) !== 'tree') return undefined;
      return inRepository(['ls-tree', object(p)])
        .split('\n')
        .filter(Boolean)
        .map(line => {
          const [meta, name] = line.split('\t');
          return {
            name,
            type: meta.split(' ')[1] === 'tree' ? 'directory' : 'file',
          };
        });
    },
  };
}

/** Every object the Application applies, as Argo CD renders overlays/demo-east at `main`. */
async function renderMain() {
  require('@backstage/cli/config/nodeTransform.cjs');
  const placement = '../plugins/istio-rollouts-backend/src/gitops/placement';
  const { RepositoryFiles } = require(`${placement}/repositoryFiles.ts`);
  const { renderSource } = require(`${placement}/renderSource.ts`);
  const { toJson } = require(`${placement}/renderedTree.ts`);
  const resources = await renderSource(new RepositoryFiles(mainReader()), {
    path: SYNCED_PATH,
    defaultNamespace: 'default',
  });
  return resources.map(r => toJson(r.object));
}

async function kube(method, path, body) {
  const res = await fetch(`${CLUSTER.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body && { 'content-type': 'application/json' }),
    },
    ...(body && { body: JSON.stringify(body) }),
  }).catch(error => {
    throw new Error(
      `${CLUSTER.name} is not reachable at ${CLUSTER.url} (${
        error.cause?.code ?? error.message
      }): is the demo running (npm start)?`,
    );
  });
  const answer = await res.json().catch(() => undefined);
  if (res.status === 404 && method === 'GET') return undefined;
  if (!res.ok) {
    throw new Error(
      `${method} ${path}: ${res.status} ${answer?.message ?? res.statusText}`,
    );
  }
  return answer;
}

const PLURALS = {
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
};

const same = (a, b) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** Writes one rendered object to demo-east as Argo CD would: tracked, with its field manager, only if it differs. */
async function syncObject(object) {
  const { apiVersion, kind } = object;
  const { name, namespace = 'default' } = object.metadata;
  const what = `${kind} ${namespace}/${name}`;
  const plural = PLURALS[kind];
  if (!plural) {
    console.log(`Skipped ${what}: the demo's sync writes Istio's kinds only.`);
    return;
  }
  const group = apiVersion.split('/')[0];
  const collection = `/apis/${apiVersion}/namespaces/${namespace}/${plural}`;
  const query = `?fieldManager=${FIELD_MANAGER}`;
  const metadata = {
    ...object.metadata,
    namespace,
    annotations: {
      ...object.metadata.annotations,
      'argocd.argoproj.io/tracking-id': `${APPLICATION}:${group}/${kind}:${namespace}/${name}`,
    },
  };
  const live = await kube('GET', `${collection}/${name}`);
  if (!live) {
    await kube('POST', `${collection}${query}`, { ...object, metadata });
    console.log(`Created ${what} in ${CLUSTER.name} as ${FIELD_MANAGER}.`);
    return;
  }
  if (
    same(live.spec, object.spec) &&
    same(live.metadata.labels, metadata.labels) &&
    same(live.metadata.annotations, metadata.annotations)
  ) {
    console.log(
      `${what} in ${CLUSTER.name} is in sync with main: nothing to apply.`,
    );
    return;
  }
  const updated = await kube('PUT', `${collection}/${name}${query}`, {
    ...object,
    metadata: { ...metadata, resourceVersion: live.metadata.resourceVersion },
  });
  console.log(
    `Synced ${what} to ${CLUSTER.name} as ${FIELD_MANAGER} (resourceVersion ${live.metadata.resourceVersion} → ${updated.metadata.resourceVersion}).`,
  );
}

async function main() {
  if (!fs.existsSync(BARE)) {
    throw new Error(
      `No GitOps repository at ${BARE}: start the demo with \`npm start\` (it needs git).`,
    );
  }
  if (process.argv.includes('--reset')) reset();
  else mergeNewestBranch();
  const objects = await renderMain();
  console.log(
    `Rendered ${SYNCED_PATH} at main (${short(rev('main'))}): ${objects
      .map(o => `${o.kind} ${o.metadata?.name}`)
      .join(', ')}.`,
  );
  for (const object of objects) await syncObject(object);
}

main().catch(error => {
  console.error(error.message);
  process.exit(1);
});
