/**
 * Where a GitOps-managed VirtualService comes from: the repository, revision and directory Argo CD or Flux syncs
 * it from, read from the Application, or from the Kustomization and its GitRepository. Pure: `readGitSource`
 * fetches the objects; this decides what they say, and says in words when they name nothing a commit can change.
 *
 * Which tool manages the VirtualService comes from `detectOwners` (common): an `ArgoCD` owner's name is the
 * application's instance name (`<app>`, or `<namespace>_<app>` for an Application outside Argo CD's own
 * namespace), a `Flux` owner's is `<namespace>/<name>` and its `via` names the label of the Flux kind.
 */
import type {
  KubeObject,
  RolloutOwner,
} from '@internal/plugin-istio-rollouts-common';

/** The GitOps tool that syncs the VirtualService. */
export type GitOpsTool = 'argocd' | 'flux';

/** What a revision is, where the tool says so. */
export type RevisionKind = 'branch' | 'tag' | 'semver' | 'name' | 'commit';

/** The Git source of a VirtualService: what to clone, and where its manifests are. */
export interface GitSource {
  tool: GitOpsTool;
  repoUrl: string;
  /** As the tool names it: Argo CD's `targetRevision` (`HEAD` when absent), or the Flux ref that wins. */
  revision: string;
  /** Flux's ref field; for Argo CD only a full commit SHA is told apart (a branch and a tag look alike). */
  revisionKind?: RevisionKind;
  /** The directory the tool builds, relative to the repository root, without `./`; `.` for the root. */
  path: string;
  /** Argo CD's `directory.recurse`: manifests in subdirectories of `path` count too. */
  directoryRecurse?: boolean;
  /** The object that names the source, e.g. `Application argocd/my-app`, `Kustomization flux-system/apps`. */
  managedBy: string;
}

/** Why no Git source can be used. */
export type GitSourceProblem =
  | 'not-gitops'
  | 'helm'
  | 'plugin'
  | 'ambiguous'
  | 'unsupported'
  | 'missing'
  | 'invalid';

/** The Git source, or why there is none to edit, worded for a developer. */
export type GitSourceResult =
  | { found: true; source: GitSource }
  | {
      found: false;
      problem: GitSourceProblem;
      reason: string;
      managedBy?: string;
    };

/** The object in the cluster that says where the VirtualService comes from. */
export interface GitOpsManager {
  tool: GitOpsTool;
  kind: 'Application' | 'Kustomization' | 'HelmRelease';
  namespace: string;
  name: string;
}

/** Flux's default namespace, for a Flux label without its `…/namespace` companion. */
const FLUX_DEFAULT_NAMESPACE = 'flux-system';

type UnknownRecord = Record<string, unknown>;

function asRecord(value: unknown): UnknownRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as UnknownRecord)
    : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `Application argocd/my-app`. */
export function describeManager(m: GitOpsManager): string {
  return `${m.kind} ${m.namespace}/${m.name}`;
}

/** Tells a finished answer from the intermediate value a step returns when it found what it looked for. */
export function isGitSourceResult(value: unknown): value is GitSourceResult {
  return typeof asRecord(value)?.found === 'boolean';
}

export function unusable(
  problem: GitSourceProblem,
  reason: string,
  managedBy?: string,
): GitSourceResult {
  return { found: false, problem, reason, ...(managedBy && { managedBy }) };
}

/** A repository path as the tools accept it (`./apps/`, `apps`, ``) in one spelling: `apps`, or `.` for the root. */
export function normalizeRepoPath(path: string | undefined): string {
  const trimmed = (path ?? '')
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? '.' : trimmed;
}

/**
 * The Application an Argo CD instance name points at: `<namespace>_<app>` for apps in any namespace (neither
 * part may contain `_`), else `<app>` in Argo CD's control-plane namespace.
 */
export function argoCdApplicationRef(
  instanceName: string,
  controlPlaneNamespace: string,
): GitOpsManager {
  const i = instanceName.indexOf('_');
  return {
    tool: 'argocd',
    kind: 'Application',
    namespace: i > 0 ? instanceName.slice(0, i) : controlPlaneNamespace,
    name: i > 0 ? instanceName.slice(i + 1) : instanceName,
  };
}

/** The Flux object behind a `Flux` owner: a HelmRelease when its label said so, else a Kustomization. */
export function fluxManagerRef(owner: RolloutOwner): GitOpsManager | undefined {
  if (!owner.name) return undefined;
  const slash = owner.name.indexOf('/');
  return {
    tool: 'flux',
    // `via` is `label helm.toolkit.fluxcd.io/name` for a HelmRelease (owner.ts).
    kind: owner.via?.includes('helm.toolkit.fluxcd.io')
      ? 'HelmRelease'
      : 'Kustomization',
    namespace: slash > 0 ? owner.name.slice(0, slash) : FLUX_DEFAULT_NAMESPACE,
    name: slash > 0 ? owner.name.slice(slash + 1) : owner.name,
  };
}

/** The GitOps objects the owners name; controllers (Argo Rollouts, Flagger) are not sources and are left out. */
export function gitOpsManagersOf(
  owners: RolloutOwner[],
  argoCdNamespace: string,
): GitOpsManager[] {
  const managers: GitOpsManager[] = [];
  for (const owner of owners) {
    if (owner.kind === 'ArgoCD' && owner.name) {
      managers.push(argoCdApplicationRef(owner.name, argoCdNamespace));
    } else if (owner.kind === 'Flux') {
      const ref = fluxManagerRef(owner);
      if (ref) managers.push(ref);
    }
  }
  return managers;
}

/** The answer for a VirtualService no GitOps tool manages. */
export function notGitOps(): GitSourceResult {
  return unusable(
    'not-gitops',
    'The VirtualService is not managed by Argo CD or Flux: there is no Git repository to change.',
  );
}

/** The one manager to read, or why there is none. */
export function pickManager(
  managers: GitOpsManager[],
): GitOpsManager | GitSourceResult {
  if (managers.length === 1) return managers[0];
  if (managers.length === 0) return notGitOps();
  return unusable(
    'ambiguous',
    `The VirtualService is claimed by ${managers
      .map(describeManager)
      .join(' and ')}: cannot tell which repository holds it.`,
  );
}

/**
 * Whether an Application lists the VirtualService among its resources: the proof an `app.kubernetes.io/instance`
 * label alone cannot give, since Helm charts set that label too.
 */
export function applicationTracks(
  application: KubeObject,
  virtualService: KubeObject,
): boolean {
  const resources = asRecord(application.status)?.resources;
  if (!Array.isArray(resources)) return false;
  const [group] = (virtualService.apiVersion ?? '').split('/');
  return resources.some(raw => {
    const r = asRecord(raw);
    return (
      r?.group === group &&
      r?.kind === 'VirtualService' &&
      r?.namespace === virtualService.metadata?.namespace &&
      r?.name === virtualService.metadata?.name
    );
  });
}

/** Where one Argo CD source keeps its manifests, for messages: `https://… at apps/reviews`. */
function describeArgoSource(source: UnknownRecord): string {
  const repo = asText(source.repoURL) ?? '(no repoURL)';
  const chart = asText(source.chart);
  return chart
    ? `chart "${chart}" of ${repo}`
    : `${repo} at ${normalizeRepoPath(asText(source.path))}`;
}

/** Why a source's manifests are generated rather than written, if they are. */
function renderedBy(
  source: UnknownRecord,
  managedBy: string,
): GitSourceResult | undefined {
  const where = describeArgoSource(source);
  if (asText(source.chart) || source.helm !== undefined) {
    return unusable(
      'helm',
      `${managedBy} renders the VirtualService with Helm (${where}): it comes out of a template, so there is no manifest to edit in place; change the chart or its values instead.`,
      managedBy,
    );
  }
  if (source.plugin !== undefined) {
    const name = asText(asRecord(source.plugin)?.name);
    return unusable(
      'plugin',
      `${managedBy} generates its manifests with a config management plugin${
        name ? ` ("${name}")` : ''
      } (${where}): there is no manifest to edit in place.`,
      managedBy,
    );
  }
  return undefined;
}

/**
 * The one of an Application's `sources[]` that can hold the VirtualService as a manifest: the source with a
 * `path` and no chart. Sources without a path only lend files (`ref:` for `$values`).
 */
export function pickArgoCdSource(
  sources: unknown[],
  managedBy: string,
): UnknownRecord | GitSourceResult {
  const records = sources
    .map(asRecord)
    .filter((s): s is UnknownRecord => s !== undefined);
  const withPath = records.filter(s => asText(s.path) && !asText(s.chart));
  const plain = withPath.filter(s => !renderedBy(s, managedBy));
  if (plain.length === 1) return plain[0];
  if (plain.length > 1) {
    return unusable(
      'ambiguous',
      `${managedBy} has ${
        plain.length
      } sources that could hold the VirtualService (${plain
        .map(describeArgoSource)
        .join('; ')}): cannot tell which one to edit.`,
      managedBy,
    );
  }
  const generated = records
    .map(s => renderedBy(s, managedBy))
    .find(r => r !== undefined);
  return (
    generated ??
    unusable(
      'invalid',
      `${managedBy} has no source with a path: nothing in Git to edit.`,
      managedBy,
    )
  );
}

const COMMIT_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/i;

/** An Application's Git source: `spec.sources[]` when set (Argo CD then ignores `spec.source`), else `spec.source`. */
export function argoCdGitSource(
  application: KubeObject,
  managedBy: string,
): GitSourceResult {
  const spec = asRecord(application.spec) ?? {};
  let source: UnknownRecord;
  if (Array.isArray(spec.sources) && spec.sources.length > 0) {
    const picked = pickArgoCdSource(spec.sources, managedBy);
    if (isGitSourceResult(picked)) return picked;
    source = picked;
  } else {
    const single = asRecord(spec.source);
    if (!single) {
      return unusable('invalid', `${managedBy} has no source.`, managedBy);
    }
    const generated = renderedBy(single, managedBy);
    if (generated) return generated;
    source = single;
  }
  const repoUrl = asText(source.repoURL);
  if (!repoUrl) {
    return unusable('invalid', `${managedBy} has no repoURL.`, managedBy);
  }
  const revision = asText(source.targetRevision) ?? 'HEAD';
  const recurse = asRecord(source.directory)?.recurse;
  return {
    found: true,
    source: {
      tool: 'argocd',
      repoUrl,
      revision,
      ...(COMMIT_SHA.test(revision) && { revisionKind: 'commit' as const }),
      path: normalizeRepoPath(asText(source.path)),
      ...(typeof recurse === 'boolean' && { directoryRecurse: recurse }),
      managedBy,
    },
  };
}

/** What a Kustomization builds from (`spec.sourceRef`; its namespace defaults to the Kustomization's). */
export interface FluxSourceRef {
  kind: string;
  namespace: string;
  name: string;
}

/** The GitRepository a Kustomization builds from, or why it builds from something a commit cannot change. */
export function fluxGitRepositoryRef(
  kustomization: KubeObject,
  managedBy: string,
): FluxSourceRef | GitSourceResult {
  const ref = asRecord(asRecord(kustomization.spec)?.sourceRef);
  const kind = asText(ref?.kind);
  const name = asText(ref?.name);
  if (!kind || !name) {
    return unusable('invalid', `${managedBy} has no sourceRef.`, managedBy);
  }
  const namespace =
    asText(ref?.namespace) ?? kustomization.metadata?.namespace ?? '';
  if (kind === 'GitRepository') return { kind, namespace, name };
  const what: Record<string, string> = {
    OCIRepository: 'an OCI artifact',
    Bucket: 'files in a storage bucket',
  };
  return unusable(
    'unsupported',
    `${managedBy} builds from ${kind} ${namespace}/${name}, ${
      what[kind] ?? 'not a Git repository'
    }: only a GitRepository source can be changed with a commit.`,
    managedBy,
  );
}

/**
 * The Flux ref that wins, in source-controller's order: commit, then name, then semver, then tag, then branch.
 * Without a ref Flux checks out `master`.
 */
export function fluxRevision(gitRepository: KubeObject): {
  revision: string;
  revisionKind: RevisionKind;
} {
  const ref = asRecord(asRecord(gitRepository.spec)?.ref) ?? {};
  const order: RevisionKind[] = ['commit', 'name', 'semver', 'tag', 'branch'];
  for (const revisionKind of order) {
    const revision = asText(ref[revisionKind]);
    if (revision) return { revision, revisionKind };
  }
  return { revision: 'master', revisionKind: 'branch' };
}

/** A Kustomization's Git source: its GitRepository's URL and ref, and its own path. */
export function fluxGitSource(
  kustomization: KubeObject,
  gitRepository: KubeObject,
  managedBy: string,
): GitSourceResult {
  const repoUrl = asText(asRecord(gitRepository.spec)?.url);
  if (!repoUrl) {
    const repo = `GitRepository ${gitRepository.metadata?.namespace}/${gitRepository.metadata?.name}`;
    return unusable('invalid', `${repo} has no url.`, managedBy);
  }
  return {
    found: true,
    source: {
      tool: 'flux',
      repoUrl,
      ...fluxRevision(gitRepository),
      path: normalizeRepoPath(asText(asRecord(kustomization.spec)?.path)),
      managedBy,
    },
  };
}

/** A VirtualService a Flux HelmRelease installed: rendered by Helm, nothing to edit in Git. */
export function helmReleaseSource(manager: GitOpsManager): GitSourceResult {
  const managedBy = describeManager(manager);
  return unusable(
    'helm',
    `${managedBy} renders the VirtualService with Helm: it comes out of a chart template, so there is no manifest to edit in place; change the chart or the release's values instead.`,
    managedBy,
  );
}
