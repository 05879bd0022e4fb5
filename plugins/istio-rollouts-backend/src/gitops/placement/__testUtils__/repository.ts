import {
  ActionKubeObject,
  ActionPlan,
  parseActionRequest,
  planAction,
} from '@internal/plugin-istio-rollouts-common';
import { parse } from 'yaml';
import type { DirectoryEntry, RepositoryReader } from '../types';

/** A repository held in memory (path → text), read the way the placement reads a clone; it records reads. */
export function memoryReader(
  files: Record<string, string>,
): RepositoryReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      return Object.prototype.hasOwnProperty.call(files, path)
        ? files[path]
        : undefined;
    },
    async listDirectory(path) {
      const prefix = path === '' ? '' : `${path}/`;
      const entries = new Map<string, DirectoryEntry>();
      for (const file of Object.keys(files)) {
        if (!file.startsWith(prefix)) continue;
        const [name, ...rest] = file.slice(prefix.length).split('/');
        entries.set(name, { name, type: rest.length ? 'directory' : 'file' });
      }
      return entries.size || path === '' ? [...entries.values()] : undefined;
    },
  };
}

/** An object of the repository as the cluster serves it: parsed, with a resourceVersion. */
export function clusterObject(
  yamlText: string,
  resourceVersion = '4711',
): ActionKubeObject {
  const object = parse(yamlText) as ActionKubeObject;
  object.metadata = { ...object.metadata, resourceVersion };
  return object;
}

/** The last document of a multi-document file. */
export function lastDocument(text: string): string {
  const parts = text.split(/^---$/m);
  return parts[parts.length - 1];
}

/** A Deployment whose pods carry `labels`, for the planner's subset checks. */
export function deployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
): ActionKubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [] } },
    },
  };
}

/** What the product plans for a request on these cluster objects: the operations placement gets. */
export function planOn(
  objects: {
    virtualService: ActionKubeObject;
    destinationRules: ActionKubeObject[];
    deployments?: ActionKubeObject[];
  },
  request: Record<string, unknown>,
): ActionPlan {
  return planAction({
    virtualService: objects.virtualService,
    destinationRules: objects.destinationRules,
    deployments: objects.deployments ?? [],
    request: parseActionRequest({
      rolloutId: 'east/ns/vs',
      resourceVersion: objects.virtualService.metadata?.resourceVersion,
      ...request,
    }),
  });
}
