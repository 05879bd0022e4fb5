/*
 * Simulated clusters: K kube-sim processes on loopback, each with the
 * scenario's manifests, on ports they pick themselves (--port 0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { scenarioManifests } from '../../packages/bench-backend/src/bench/scenario';
import { ProcessGroup, Started } from './processes';

export const ROOT = path.resolve(__dirname, '../..');
/** kube-sim's demo tokens; `backstage-istio-rollouts` may do anything. */
export const USERS_FILE = path.join(ROOT, 'examples/clusters/users.yaml');
export const CLUSTER_TOKEN = 'demo-rollouts-token';

export interface SimCluster {
  name: string;
  url: string;
  process: Started;
}

/** Cluster names sort in order: c00, c01, … */
export function clusterName(i: number): string {
  return `c${String(i).padStart(2, '0')}`;
}

/**
 * Writes the scenario's manifests and starts its clusters, at most
 * `parallel` loading at once (loading is CPU-bound and a large cluster
 * briefly needs ~1 GB while it parses its manifests).
 */
export async function startClusters(options: {
  group: ProcessGroup;
  dir: string;
  clusters: number;
  objectsPerKind: number;
  uiVirtualServices: number;
  /** The portal page's catalog entities (scenario.ts). */
  portalEntities: number;
  parallel: number;
}): Promise<SimCluster[]> {
  const { group, dir, clusters } = options;
  const manifests = scenarioManifests({
    clusters,
    objectsPerKind: options.objectsPerKind,
    uiVirtualServices: options.uiVirtualServices,
    portalEntities: options.portalEntities,
  });
  // Several files of one cluster are loaded in order; the shared file holds
  // the objects of the workloads outside the catalog.
  const othersFile = path.join(dir, 'others.json');
  fs.writeFileSync(othersFile, manifests.others);

  const result: SimCluster[] = new Array(clusters);
  let next = 0;
  const startOne = async () => {
    while (next < clusters) {
      const i = next++;
      const name = clusterName(i);
      const ownFile = path.join(dir, `${name}.json`);
      fs.writeFileSync(ownFile, manifests.perCluster[i]);
      const { started, match } = await ProcessGroup.waitForLine(
        {
          name: `kube-sim ${name}`,
          command: process.execPath,
          args: [
            path.join(ROOT, 'packages/kube-sim/bin/kube-sim.js'),
            '--port',
            '0',
            '--manifests',
            othersFile,
            ownFile,
            '--users',
            USERS_FILE,
          ],
          cwd: ROOT,
          logFile: path.join(dir, `${name}.log`),
        },
        group,
        /^listening on (http:\/\/\S+)$/,
        180_000,
      );
      result[i] = { name, url: match[1], process: started };
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.parallel, clusters) }, startOne),
  );
  return result;
}

/** Adds `latencyMs` to every Kubernetes request of every cluster (kube-sim's fault API). */
export async function setApiLatency(
  clusters: SimCluster[],
  latencyMs: number,
): Promise<void> {
  await Promise.all(
    clusters.map(async c => {
      const res = await fetch(`${c.url}/_sim/faults`, {
        method: latencyMs > 0 ? 'POST' : 'DELETE',
        headers: { 'Content-Type': 'application/json' },
        body: latencyMs > 0 ? JSON.stringify({ latencyMs }) : undefined,
      });
      if (!res.ok) {
        throw new Error(`${c.name}: /_sim/faults answered ${res.status}`);
      }
    }),
  );
}
