import type { RolloutObjectPatch } from '@internal/plugin-istio-rollouts-common';

/**
 * A read-only view of one revision of a Git repository. Paths are relative to the repository root, separated by
 * `/`, without a leading `/` (the root itself is `''`). The placement reads nothing else: no network, no disk.
 */
export interface RepositoryReader {
  /** The text of the file at `path`, or undefined when there is no file there. */
  readFile(path: string): Promise<string | undefined>;
  /** The entries of the directory at `path`, or undefined when there is no directory there. */
  listDirectory(path: string): Promise<DirectoryEntry[] | undefined>;
}

/** One entry of a directory listing. */
export interface DirectoryEntry {
  name: string;
  type: 'file' | 'directory';
}

/** What the GitOps tool syncs from the repository. */
export interface PlacementSource {
  /**
   * The directory it syncs, relative to the repository root: Argo CD's `spec.source.path`, Flux's
   * Kustomization `spec.path` (a leading `./` or `/` is accepted).
   */
  path: string;
  /**
   * Plain manifests only: read subdirectories too. Argo CD's `directory.recurse`; Flux builds a directory
   * without a kustomization from all manifests under it, so pass `true` for Flux.
   */
  recurse?: boolean;
  /**
   * The namespace the tool gives objects that name none (Argo CD's `spec.destination.namespace`). Without it,
   * an object that names no namespace matches the target's namespace, whatever it is.
   */
  defaultNamespace?: string;
}

/** What {@link placeChange} works on. */
export interface PlacementInput {
  reader: RepositoryReader;
  source: PlacementSource;
  /**
   * The planner's patches (`ActionPlan.patches`), in order. Their `replace /metadata/resourceVersion` guard is
   * the cluster's optimistic lock and has no counterpart in Git: it is skipped. Their `test` operations are
   * checked against what the repository says.
   */
  patches: RolloutObjectPatch[];
}

/** One file the change edits: its text before and after, for a diff and a commit. */
export interface PlacedFile {
  /** Relative to the repository root. */
  path: string;
  before: string;
  after: string;
}

/** One value the change writes, for a person reading the diff. */
export interface PlacementEdit {
  /** The file, relative to the repository root. */
  file: string;
  /** 1-based line of the value in the file before the edit (for an addition: the line it is inserted at). */
  line: number;
  /** The JSON Pointer of the value in the object, as the planner's operation names it. */
  pointer: string;
  /** `replace`: a scalar spliced; `add`: a key or list item inserted; `remove`: one taken out. */
  op: 'replace' | 'add' | 'remove';
  /** The value the repository had (absent for an addition). */
  from?: unknown;
  /** The value the repository gets (absent for a removal). */
  to?: unknown;
}

/** The change, placed: the files to commit. */
export interface PlacedChange {
  placed: true;
  files: PlacedFile[];
  edits: PlacementEdit[];
  /** What a reviewer should know, e.g. that an edited base lies outside the synced directory. */
  notes: string[];
}

/** The change could not be placed with certainty: why, and the change as text a person can apply by hand. */
export interface UnplacedChange {
  placed: false;
  /** For a developer: what stood in the way, naming the file. */
  reason: string;
  /** The change as a kustomize `patches` entry (target + JSON Patch in YAML). */
  patch: string;
}

/** Where the change goes in Git, or why it cannot go there. */
export type PlacementResult = PlacedChange | UnplacedChange;
