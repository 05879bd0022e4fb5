/*
 * User impersonation, as kube-apiserver's WithImpersonation filter (v1.31)
 * does it: the authenticated user must be allowed the verb `impersonate` on
 * every part of the identity it asks for; the request is then authorized as
 * that identity. Headers:
 *
 *   Impersonate-User   the first line counts; `system:serviceaccount:<ns>:<name>`
 *                      is checked as `serviceaccounts` in <ns>, anything else
 *                      as `users`
 *   Impersonate-Group  one group per header line (never split on commas)
 *   Impersonate-Uid    checked as `uids.authentication.k8s.io`
 *   Impersonate-Extra-<key>  checked as `userextras/<key>` in
 *                      authentication.k8s.io, one check per line
 *
 * Groups, extras or a uid without a user are refused with the API server's
 * plain-text 500, not a Status.
 */
import type { IncomingMessage } from 'node:http';
import {
  ALL_AUTHENTICATED,
  authorize,
  Identity,
  RequestAttributes,
  UsersConfig,
} from './auth';
import { forbidden, KubeApiError } from './status';

export interface ImpersonationHeaders {
  user?: string;
  groups: string[];
  uid?: string;
  extras: { key: string; value: string }[];
}

export type ImpersonationResult =
  | { identity: Identity }
  | { error: KubeApiError }
  /** Answered as responsewriters.InternalError: text/plain, status 500. */
  | { internalError: string };

const ANONYMOUS = 'system:anonymous';
const ALL_UNAUTHENTICATED = 'system:unauthenticated';
const SA_PREFIX = 'system:serviceaccount:';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHN_GROUP = 'authentication.k8s.io';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** serviceaccount.SplitUsername: a valid namespace and name, or nothing. */
export function splitServiceAccount(
  user: string,
): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The impersonation headers of a request, or undefined when there are none.
 * Node joins repeated headers with ", " in `req.headers`; Go keeps each line,
 * so read `headersDistinct`.
 */
export function readImpersonationHeaders(
  req: Pick<IncomingMessage, 'headersDistinct'>,
): ImpersonationHeaders | undefined {
  const h = req.headersDistinct;
  const user = h['impersonate-user']?.[0];
  const uid = h['impersonate-uid']?.[0];
  const groups = h['impersonate-group'] ?? [];
  const extras = Object.entries(h)
    .filter(([name]) => name.startsWith(EXTRA_PREFIX))
    .flatMap(([name, values]) =>
      (values ?? []).map(value => ({
        key: unescapeExtraKey(name.slice(EXTRA_PREFIX.length)),
        value,
      })),
    );
  if (!user && !uid && groups.length === 0 && extras.length === 0)
    return undefined;
  return {
    user: user || undefined,
    groups,
    uid: uid || undefined,
    extras,
  };
}

/** Go's %v of a v1.ObjectReference, for the "without a user" message. */
function goRef(
  kind: string,
  name: string,
  apiVersion = '',
  fieldPath = '',
): string {
  return `{${[kind, '', name, '', apiVersion, '', fieldPath].join(' ')}}`;
}

/**
 * Checks the impersonation and returns the identity to authorize as.
 * Without a users file there is no RBAC: every impersonation is allowed.
 */
export function impersonate(
  config: UsersConfig | undefined,
  requestor: Identity,
  h: ImpersonationHeaders,
): ImpersonationResult {
  const checks: RequestAttributes[] = [];
  const refs: string[] = [];
  const sa = h.user ? splitServiceAccount(h.user) : undefined;
  if (h.user) {
    checks.push(
      sa
        ? { ...impersonateAttrs('', 'serviceaccounts', sa.name), ...sa }
        : impersonateAttrs('', 'users', h.user),
    );
  }
  for (const group of h.groups) {
    checks.push(impersonateAttrs('', 'groups', group));
    refs.push(goRef('Group', group));
  }
  for (const { key, value } of h.extras) {
    checks.push(impersonateAttrs(AUTHN_GROUP, `userextras/${key}`, value));
    refs.push(goRef('UserExtra', value, `${AUTHN_GROUP}/v1`, key));
  }
  if (h.uid) {
    checks.push(impersonateAttrs(AUTHN_GROUP, 'uids', h.uid));
    refs.push(goRef('UID', h.uid, `${AUTHN_GROUP}/v1`));
  }
  if (!h.user) {
    return {
      internalError: `requested [${refs.join(
        ' ',
      )}] without impersonating a user`,
    };
  }
  if (config) {
    const denied = checks.find(a => !authorize(config, requestor, a));
    if (denied)
      return { error: forbidden({ user: requestor.name, ...denied }) };
  }

  let groups = [...h.groups];
  if (sa && groups.length === 0)
    groups = [
      'system:serviceaccounts',
      `system:serviceaccounts:${sa.namespace}`,
    ];
  if (h.user !== ANONYMOUS) {
    if (
      !groups.includes(ALL_AUTHENTICATED) &&
      !groups.includes(ALL_UNAUTHENTICATED)
    )
      groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { identity: { name: h.user, groups } };
}

function impersonateAttrs(
  group: string,
  resource: string,
  name: string,
): RequestAttributes {
  return { verb: 'impersonate', group, resource, name };
}

/** The body of the API server's plain-text 500 (responsewriters.InternalError). */
export function internalErrorText(requestUri: string, message: string): string {
  // Go's %q of an ASCII request URI reads like a JSON string; the apiserver
  // then HTML-escapes &, < and > in the whole text.
  return `Internal Server Error: ${JSON.stringify(requestUri)}: ${message}`
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .concat('\n');
}
