import { deepClone, escapePathComponent } from 'fast-json-patch';
import { listWords } from '../listWords';

/** A JSON object read from an untyped part of a Kubernetes object. */
export type JsonRecord = Record<string, unknown>;

/** The value as a JSON object, or undefined when it is anything else (arrays and null included). */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

/** The value as an array, or undefined. */
export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The value as a non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A JSON Pointer (RFC 6901) from unescaped segments: `pointer('spec', 'http', 0)` → `/spec/http/0`. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map(s => `/${escapePathComponent(String(s))}`).join('');
}

/** A deep copy of a JSON value. */
export function copy<T>(value: T): T {
  return value === undefined ? value : deepClone(value);
}

/** A JSON value as it reads in an error message: `"50"`, `12.5`, `NaN`, `null`, `nothing`. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Names in quotes, joined for a sentence: `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quoteList(names: string[]): string {
  return listWords(names.map(n => `"${n}"`));
}

/** Deep equality of two JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => jsonEqual(v, b[i]))
    );
  }
  const ra = asRecord(a);
  const rb = asRecord(b);
  if (!ra || !rb) return false;
  const keys = Object.keys(ra);
  return (
    keys.length === Object.keys(rb).length &&
    keys.every(k => k in rb && jsonEqual(ra[k], rb[k]))
  );
}
