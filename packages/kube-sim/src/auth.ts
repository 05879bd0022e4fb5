/*
 * Bearer-token authentication and RBAC-like authorization from a users file:
 *
 *   users:
 *     - name: viewer
 *       token: demo-viewer-token
 *       rules:
 *         - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"] }
 *
 * A rule grants when every list matches ("*" matches anything; "" in apiGroups
 * is the core group). `namespaces` is optional: omitted (or "*") grants in every
 * namespace and at the cluster scope; listing namespaces restricts the rule to
 * namespaced requests in those namespaces, as a RoleBinding would.
 */
import { parse } from 'yaml';
import { isPlainObject } from './objects';

export interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  namespaces?: string[];
  resourceNames?: string[];
}

export interface UserSpec {
  name: string;
  token: string;
  rules: Rule[];
}

export interface UsersConfig {
  users: UserSpec[];
}

/** Attributes of a request, as the authorizer sees them. */
export interface RequestAttributes {
  verb: string;
  group: string;
  /** Plural, with `/subresource` when there is one. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** Who every request is when no users file is configured. */
export const CLUSTER_ADMIN = 'kubernetes-admin';

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) {
    throw new Error(`users file: ${what} must be a list of strings`);
  }
  return v as string[];
}

/** Checks and normalises a parsed users file; throws with a readable message. */
export function validateUsersConfig(raw: unknown): UsersConfig {
  if (!isPlainObject(raw) || !Array.isArray(raw.users)) {
    throw new Error('users file: expected a top-level "users" list');
  }
  const seen = new Set<string>();
  const users = raw.users.map((u, i): UserSpec => {
    if (
      !isPlainObject(u) ||
      typeof u.name !== 'string' ||
      typeof u.token !== 'string'
    ) {
      throw new Error(
        `users file: users[${i}] needs a string "name" and "token"`,
      );
    }
    if (seen.has(u.token))
      throw new Error(`users file: users[${i}] reuses a token`);
    seen.add(u.token);
    const rules = (u.rules === undefined ? [] : u.rules) as unknown;
    if (!Array.isArray(rules))
      throw new Error(`users file: users[${i}].rules must be a list`);
    return {
      name: u.name,
      token: u.token,
      rules: rules.map((r, j): Rule => {
        const at = `users[${i}].rules[${j}]`;
        if (!isPlainObject(r))
          throw new Error(`users file: ${at} must be a map`);
        return {
          verbs: stringList(r.verbs, `${at}.verbs`),
          apiGroups: stringList(r.apiGroups, `${at}.apiGroups`),
          resources: stringList(r.resources, `${at}.resources`),
          namespaces:
            r.namespaces === undefined
              ? undefined
              : stringList(r.namespaces, `${at}.namespaces`),
          resourceNames:
            r.resourceNames === undefined
              ? undefined
              : stringList(r.resourceNames, `${at}.resourceNames`),
        };
      }),
    };
  });
  return { users };
}

export function parseUsersFile(text: string): UsersConfig {
  return validateUsersConfig(parse(text));
}

function matchesResource(patterns: string[], resource: string): boolean {
  const [plural, sub] = resource.split('/');
  return patterns.some(p => {
    if (p === '*' || p === resource) return true;
    const [pp, ps] = p.split('/');
    if (sub !== undefined && ps !== undefined) {
      return (pp === '*' || pp === plural) && (ps === '*' || ps === sub);
    }
    return false;
  });
}

export function ruleAllows(rule: Rule, attrs: RequestAttributes): boolean {
  const any = (list: string[], v: string) =>
    list.includes('*') || list.includes(v);
  if (!any(rule.verbs, attrs.verb)) return false;
  if (!any(rule.apiGroups, attrs.group)) return false;
  if (!matchesResource(rule.resources, attrs.resource)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    if (!attrs.name || !rule.resourceNames.includes(attrs.name)) return false;
  }
  if (rule.namespaces && !rule.namespaces.includes('*')) {
    if (!attrs.namespace || !rule.namespaces.includes(attrs.namespace))
      return false;
  }
  return true;
}

export function authorize(user: UserSpec, attrs: RequestAttributes): boolean {
  return user.rules.some(r => ruleAllows(r, attrs));
}

/** Finds the user for an `Authorization` header; undefined means 401. */
export function authenticate(
  config: UsersConfig,
  authorization: string | undefined,
): UserSpec | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!m) return undefined;
  const token = m[1].trim();
  return config.users.find(u => u.token === token);
}
