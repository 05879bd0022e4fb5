/*
 * The log of Kubernetes requests the simulator answered, for tests to assert
 * on what a client actually sent (GET /_sim/requests).
 */

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  contentType?: string;
  /** The body of writes, parsed as JSON when it is JSON, else the raw text. */
  body?: unknown;
  /** The answered status code; 0 when an injected fault dropped the connection. */
  status: number;
  time: string;
  /** The authenticated user (kubernetes-admin without a users file); absent on 401. */
  user?: string;
  /** The Impersonate-User header, when the request impersonates. */
  impersonatedUser?: string;
  /** One entry per Impersonate-Group header line, as sent. */
  impersonatedGroups?: string[];
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  /** Ids of the injected faults that applied. */
  faults?: string[];
}

export function queryToObject(
  query: URLSearchParams,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

export function bodyForLog(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** Oldest entries are dropped beyond `limit`, so a long demo can't grow it forever. */
  constructor(private readonly limit = 10000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit)
      this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): RequestLogEntry[] {
    return this.entries.map(e => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
