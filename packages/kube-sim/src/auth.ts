/*
 * Bearer-token authentication and RBAC-like authorization from a users file:
 *
 *   users:
 *     - name: backstage-istio-rollouts
 *       token: demo-rollouts-token
 *       groups: [rollouts-operators]      # optional
 *       rules:
 *         - { verbs: [impersonate], apiGroups: [""], resources: [users, groups] }
 *     - name: user:default/guest          # no token: only reachable by impersonation
 *       rules: []
 *   groups:                               # optional
 *     - name: group:default/team-bookinfo
 *       rules:
 *         - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"] }
 *
 * Rules are bound to names, as RBAC binds roles to users and groups: an
 * identity (a user name and its groups) is granted the rules of every `users`
 * entry with its name plus those of every `groups` entry it belongs to. A token
 * authenticates as its entry's name with the entry's `groups` and
 * `system:authenticated`; an impersonated identity gets the groups the
 * impersonation headers name instead (see impersonation.ts).
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
  /** Without a token the user can't log in, only be impersonated. */
  token?: string;
  /** Groups a token's user belongs to. */
  groups?: string[];
  rules: Rule[];
}

export interface GroupSpec {
  name: string;
  rules: Rule[];
}

export interface UsersConfig {
  users: UserSpec[];
  groups?: GroupSpec[];
}

/** Who a request acts as once authenticated (and impersonation applied). */
export interface Identity {
  name: string;
  groups: string[];
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
export const ALL_AUTHENTICATED = 'system:authenticated';

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) {
    throw new Error(`users file: ${what} must be a list of strings`);
  }
  return v as string[];
}

function validateRules(raw: unknown, at: string): Rule[] {
  const rules = raw === undefined ? [] : raw;
  if (!Array.isArray(rules))
    throw new Error(`users file: ${at}.rules must be a list`);
  return rules.map((r, j): Rule => {
    const where = `${at}.rules[${j}]`;
    if (!isPlainObject(r))
      throw new Error(`users file: ${where} must be a map`);
    return {
      verbs: stringList(r.verbs, `${where}.verbs`),
      apiGroups: stringList(r.apiGroups, `${where}.apiGroups`),
      resources: stringList(r.resources, `${where}.resources`),
      namespaces:
        r.namespaces === undefined
          ? undefined
          : stringList(r.namespaces, `${where}.namespaces`),
      resourceNames:
        r.resourceNames === undefined
          ? undefined
          : stringList(r.resourceNames, `${where}.resourceNames`),
    };
  });
}

function validateUsers(raw: unknown[]): UserSpec[] {
  const tokens = new Set<string>();
  return raw.map((u, i): UserSpec => {
    const at = `users[${i}]`;
    if (!isPlainObject(u) || typeof u.name !== 'string')
      throw new Error(`users file: ${at} needs a string "name"`);
    if (u.token !== undefined && typeof u.token !== 'string')
      throw new Error(`users file: ${at}.token must be a string`);
    if (u.token !== undefined) {
      if (tokens.has(u.token))
        throw new Error(`users file: ${at} reuses a token`);
      tokens.add(u.token);
    }
    const user: UserSpec = { name: u.name, rules: validateRules(u.rules, at) };
    if (u.token !== undefined) user.token = u.token;
    if (u.groups !== undefined)
      user.groups = stringList(u.groups, `${at}.groups`);
    return user;
  });
}

function validateGroups(raw: unknown): GroupSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new Error('users file: top-level "groups" must be a list');
  const seen = new Set<string>();
  return raw.map((g, i): GroupSpec => {
    const at = `groups[${i}]`;
    if (!isPlainObject(g) || typeof g.name !== 'string')
      throw new Error(`users file: ${at} needs a string "name"`);
    // One entry per group keeps a file readable; a second one is a typo.
    if (seen.has(g.name))
      throw new Error(`users file: ${at} repeats group "${g.name}"`);
    seen.add(g.name);
    return { name: g.name, rules: validateRules(g.rules, at) };
  });
}

/** Checks and normalises a parsed users file; throws with a readable message. */
export function validateUsersConfig(raw: unknown): UsersConfig {
  if (!isPlainObject(raw) || !Array.isArray(raw.users)) {
    throw new Error('users file: expected a top-level "users" list');
  }
  return {
    users: validateUsers(raw.users),
    groups: validateGroups(raw.groups),
  };
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

/** The identity a token's user authenticates as. */
export function identityOf(user: UserSpec): Identity {
  const groups = [...(user.groups ?? [])];
  if (!groups.includes(ALL_AUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  return { name: user.name, groups };
}

/** Every rule bound to the identity's name or to one of its groups. */
export function rulesOf(config: UsersConfig, identity: Identity): Rule[] {
  return [
    ...config.users.filter(u => u.name === identity.name),
    ...(config.groups ?? []).filter(g => identity.groups.includes(g.name)),
  ].flatMap(x => x.rules);
}

export function authorize(
  config: UsersConfig,
  identity: Identity,
  attrs: RequestAttributes,
): boolean {
  return rulesOf(config, identity).some(r => ruleAllows(r, attrs));
}

/** Finds the user for an `Authorization` header; undefined means 401. */
export function authenticate(
  config: UsersConfig,
  authorization: string | undefined,
): UserSpec | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!m) return undefined;
  const token = m[1].trim();
  return config.users.find(u => u.token !== undefined && u.token === token);
}
