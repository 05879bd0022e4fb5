import { Document, parseAllDocuments } from 'yaml';
import { cannotPlace } from './CannotPlace';
import type { DirectoryEntry, RepositoryReader } from './types';

/**
 * A repository path made canonical: `/`-separated, no `.` or empty segments, `..` resolved. Answers undefined
 * for a path that leaves the repository.
 */
export function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

/** `dir` joined with a relative `path`, canonical; cannot place a path outside the repository. */
export function joinPath(dir: string, path: string, from: string): string {
  const joined = normalizePath(path.startsWith('/') ? path : `${dir}/${path}`);
  if (joined === undefined) {
    return cannotPlace(`${from} refers to "${path}", outside the repository`);
  }
  return joined;
}

/** The directory of a file path (`''` for a file at the root). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** How a directory is named in messages: the root is `the repository root`. */
export function describeDir(dir: string): string {
  return dir === '' ? 'the repository root' : dir;
}

/** One YAML document of a file, parsed with the source ranges the edits need. */
export interface ParsedDocument {
  file: string;
  /** Position among the file's documents, 0-based. */
  index: number;
  doc: Document.Parsed;
}

/**
 * The repository as the placement reads it: each file read once and parsed once, so that every rendered value
 * points into the very text the edits are spliced into. `overlay` replaces files' texts (the edited ones, for
 * the check that the edit renders what the planner meant).
 */
export class RepositoryFiles {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly parsed = new Map<string, Promise<ParsedDocument[]>>();
  private readonly users = new Map<string, Set<object>>();

  constructor(
    private readonly reader: RepositoryReader,
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The text of a file, or undefined when there is none. */
  read(path: string): Promise<string | undefined> {
    let text = this.texts.get(path);
    if (!text) {
      text = this.overlay.has(path)
        ? Promise.resolve(this.overlay.get(path))
        : this.reader.readFile(path);
      this.texts.set(path, text);
    }
    return text;
  }

  /** The text of a file that must exist; `from` says who refers to it. */
  async require(path: string, from: string): Promise<string> {
    const text = await this.read(path);
    if (text === undefined) {
      return cannotPlace(`${from} refers to "${path}", which does not exist`);
    }
    return text;
  }

  /** The entries of a directory, or undefined when there is none. */
  list(path: string): Promise<DirectoryEntry[] | undefined> {
    return this.reader.listDirectory(path);
  }

  /**
   * The objects a document of a file has been applied to, shared by every inclusion of the file: a base that two
   * kustomizations include writes two objects, and editing it changes both.
   */
  usesOf(doc: ParsedDocument): Set<object> {
    const key = `${doc.index}:${doc.file}`;
    let uses = this.users.get(key);
    if (!uses) {
      uses = new Set();
      this.users.set(key, uses);
    }
    return uses;
  }

  /** The YAML documents of a file (empty ones left out); a file YAML cannot read cannot be placed in. */
  documents(path: string, from: string): Promise<ParsedDocument[]> {
    let docs = this.parsed.get(path);
    if (!docs) {
      docs = this.require(path, from).then(text => parseDocuments(path, text));
      this.parsed.set(path, docs);
    }
    return docs;
  }
}

/** Parses a file's YAML documents; errors make the file unusable. */
export function parseDocuments(file: string, text: string): ParsedDocument[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const out: ParsedDocument[] = [];
  list.forEach((doc, index) => {
    const [error] = doc.errors;
    if (error) {
      cannotPlace(`${file} is not valid YAML: ${error.message.split('\n')[0]}`);
    }
    if (doc.contents !== null) out.push({ file, index, doc });
  });
  return out;
}
