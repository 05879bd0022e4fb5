import { parseUsersFile } from './auth';
import {
  impersonate,
  internalErrorText,
  readImpersonationHeaders,
  splitServiceAccount,
} from './impersonation';

const CONFIG = parseUsersFile(`
users:
  - name: impersonator
    token: t1
    rules:
      - { verbs: [impersonate], apiGroups: [""], resources: [users, groups] }
  - name: guest-only
    token: t2
    rules:
      - { verbs: [impersonate], apiGroups: [""], resources: [users], resourceNames: [user:default/guest] }
  - name: sa-impersonator
    token: t3
    rules:
      - { verbs: [impersonate], apiGroups: [""], resources: [serviceaccounts], namespaces: [bookinfo] }
      - { verbs: [impersonate], apiGroups: [authentication.k8s.io], resources: [uids, "userextras/*"] }
      - { verbs: [impersonate], apiGroups: [""], resources: [users] }
`);

const who = (name: string) => ({ name, groups: ['system:authenticated'] });
const headers = (h: Record<string, string[]>) => ({ headersDistinct: h });

describe('readImpersonationHeaders', () => {
  it('is undefined without impersonation headers', () => {
    expect(
      readImpersonationHeaders(headers({ authorization: ['Bearer x'] })),
    ).toBeUndefined();
    expect(
      readImpersonationHeaders(headers({ 'impersonate-user': [''] })),
    ).toBeUndefined();
  });

  it('takes the first user line and every group line, unsplit', () => {
    expect(
      readImpersonationHeaders(
        headers({
          'impersonate-user': ['user:default/guest', 'other'],
          'impersonate-group': ['a', 'b, c'],
          'impersonate-uid': ['42'],
          'impersonate-extra-scopes': ['s1', 's2'],
          'impersonate-extra-acme.com%2fteam': ['x'],
        }),
      ),
    ).toEqual({
      user: 'user:default/guest',
      groups: ['a', 'b, c'],
      uid: '42',
      extras: [
        { key: 'scopes', value: 's1' },
        { key: 'scopes', value: 's2' },
        { key: 'acme.com/team', value: 'x' },
      ],
    });
  });
});

describe('splitServiceAccount', () => {
  it.each([
    [
      'system:serviceaccount:bookinfo:reviews',
      { namespace: 'bookinfo', name: 'reviews' },
    ],
    ['system:serviceaccount:bookinfo', undefined],
    ['system:serviceaccount:Bad:reviews', undefined],
    ['system:serviceaccount:a:b:c', undefined],
    ['user:default/guest', undefined],
  ])('%s', (user, expected) => {
    expect(splitServiceAccount(user)).toEqual(expected);
  });
});

describe('impersonate', () => {
  it('switches to the user and its groups, adding system:authenticated', () => {
    expect(
      impersonate(CONFIG, who('impersonator'), {
        user: 'user:default/guest',
        groups: ['group:default/team-bookinfo', 'group:default/other'],
        extras: [],
      }),
    ).toEqual({
      identity: {
        name: 'user:default/guest',
        groups: [
          'group:default/team-bookinfo',
          'group:default/other',
          'system:authenticated',
        ],
      },
    });
  });

  it('refuses a user the requestor may not impersonate', () => {
    const r = impersonate(CONFIG, who('guest-only'), {
      user: 'user:default/admin',
      groups: [],
      extras: [],
    });
    expect('error' in r && r.error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'users "user:default/admin" is forbidden: User "guest-only" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'user:default/admin', kind: 'users' },
      code: 403,
    });
  });

  it('checks every group', () => {
    const r = impersonate(CONFIG, who('guest-only'), {
      user: 'user:default/guest',
      groups: ['team'],
      extras: [],
    });
    expect('error' in r && r.error.message).toBe(
      'groups "team" is forbidden: User "guest-only" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it('impersonates service accounts with their default groups', () => {
    expect(
      impersonate(CONFIG, who('sa-impersonator'), {
        user: 'system:serviceaccount:bookinfo:reviews',
        groups: [],
        extras: [],
      }),
    ).toEqual({
      identity: {
        name: 'system:serviceaccount:bookinfo:reviews',
        groups: [
          'system:serviceaccounts',
          'system:serviceaccounts:bookinfo',
          'system:authenticated',
        ],
      },
    });
    const r = impersonate(CONFIG, who('sa-impersonator'), {
      user: 'system:serviceaccount:default:reviews',
      groups: [],
      extras: [],
    });
    expect('error' in r && r.error.message).toBe(
      'serviceaccounts "reviews" is forbidden: User "sa-impersonator" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"',
    );
  });

  it('checks uids and extras in authentication.k8s.io', () => {
    expect(
      'identity' in
        impersonate(CONFIG, who('sa-impersonator'), {
          user: 'u',
          groups: [],
          uid: '42',
          extras: [{ key: 'scopes', value: 'view' }],
        }),
    ).toBe(true);
    const r = impersonate(CONFIG, who('impersonator'), {
      user: 'u',
      groups: [],
      extras: [{ key: 'scopes', value: 'view' }],
    });
    expect('error' in r && r.error.message).toBe(
      'userextras.authentication.k8s.io "view" is forbidden: User "impersonator" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it('keeps explicit system groups as the apiserver does', () => {
    const groupsOf = (user: string, groups: string[]) => {
      const r = impersonate(undefined, who('admin'), {
        user,
        groups,
        extras: [],
      });
      return 'identity' in r ? r.identity.groups : r;
    };
    expect(groupsOf('u', ['system:unauthenticated'])).toEqual([
      'system:unauthenticated',
    ]);
    expect(groupsOf('u', ['system:authenticated'])).toEqual([
      'system:authenticated',
    ]);
    expect(groupsOf('system:anonymous', [])).toEqual([
      'system:unauthenticated',
    ]);
  });

  it('allows anything without a users file', () => {
    expect(
      impersonate(undefined, who('kubernetes-admin'), {
        user: 'anyone',
        groups: ['g'],
        extras: [],
      }),
    ).toEqual({
      identity: { name: 'anyone', groups: ['g', 'system:authenticated'] },
    });
  });

  it('refuses groups, extras or a uid without a user, with or without RBAC', () => {
    for (const config of [CONFIG, undefined]) {
      expect(
        impersonate(config, who('impersonator'), {
          groups: ['a', 'b'],
          uid: '42',
          extras: [{ key: 'scopes', value: 'view' }],
        }),
      ).toEqual({
        internalError:
          'requested [{Group  a    } {Group  b    } {UserExtra  view  authentication.k8s.io/v1  scopes} {UID  42  authentication.k8s.io/v1  }] without impersonating a user',
      });
    }
  });
});

describe('internalErrorText', () => {
  it('reads like responsewriters.InternalError', () => {
    expect(internalErrorText('/api/v1/pods?a=1&b=<2>', 'boom')).toBe(
      'Internal Server Error: "/api/v1/pods?a=1&amp;b=&lt;2&gt;": boom\n',
    );
  });
});
