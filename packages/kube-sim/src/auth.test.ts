import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authenticate,
  authorize,
  identityOf,
  parseUsersFile,
  rulesOf,
  ruleAllows,
  validateUsersConfig,
} from './auth';

const USERS = `
users:
  - name: backstage-istio-rollouts
    token: demo-rollouts-token
    rules:
      - verbs: ["*"]
        apiGroups: ["*"]
        resources: ["*"]
        namespaces: ["*"]
  - name: viewer
    token: demo-viewer-token
    rules:
      - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"] }
  - name: bookinfo-editor
    token: editor-token
    rules:
      - { verbs: [get, list, watch, patch, update], apiGroups: [networking.istio.io], resources: [virtualservices], namespaces: [bookinfo] }
      - { verbs: [get], apiGroups: [""], resources: [namespaces], resourceNames: [bookinfo] }
      - { verbs: [update], apiGroups: [apps], resources: ["deployments/status"] }
`;

describe('users file', () => {
  const config = parseUsersFile(USERS);

  it('authenticates bearer tokens', () => {
    expect(authenticate(config, 'Bearer demo-viewer-token')?.name).toBe(
      'viewer',
    );
    expect(authenticate(config, 'bearer  editor-token ')?.name).toBe(
      'bookinfo-editor',
    );
    expect(authenticate(config, 'Bearer nope')).toBeUndefined();
    expect(authenticate(config, undefined)).toBeUndefined();
    expect(authenticate(config, 'Basic dXNlcjpwYXNz')).toBeUndefined();
  });

  const user = (name: string) => config.users.find(u => u.name === name)!;

  it.each([
    [
      'backstage-istio-rollouts',
      { verb: 'delete', group: '', resource: 'namespaces', name: 'x' },
      true,
    ],
    [
      'viewer',
      {
        verb: 'list',
        group: 'networking.istio.io',
        resource: 'virtualservices',
      },
      true,
    ],
    [
      'viewer',
      {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices',
        namespace: 'bookinfo',
      },
      false,
    ],
    [
      'viewer',
      {
        verb: 'get',
        group: 'apps',
        resource: 'deployments/status',
        namespace: 'x',
      },
      true,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices',
        namespace: 'bookinfo',
      },
      true,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices',
        namespace: 'other',
      },
      false,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'list',
        group: 'networking.istio.io',
        resource: 'virtualservices',
      },
      false,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'virtualservices/status',
        namespace: 'bookinfo',
      },
      false,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'patch',
        group: 'networking.istio.io',
        resource: 'destinationrules',
        namespace: 'bookinfo',
      },
      false,
    ],
    [
      'bookinfo-editor',
      { verb: 'get', group: '', resource: 'namespaces', name: 'bookinfo' },
      true,
    ],
    [
      'bookinfo-editor',
      { verb: 'get', group: '', resource: 'namespaces', name: 'other' },
      false,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'update',
        group: 'apps',
        resource: 'deployments/status',
        namespace: 'x',
      },
      true,
    ],
    [
      'bookinfo-editor',
      {
        verb: 'update',
        group: 'apps',
        resource: 'deployments',
        namespace: 'x',
      },
      false,
    ],
  ])('%s %j -> %s', (name, attrs, expected) => {
    expect(authorize(config, identityOf(user(name)), attrs)).toBe(expected);
  });

  it('matches subresource wildcards', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['*/status'] };
    expect(
      ruleAllows(rule, { verb: 'get', group: '', resource: 'pods/status' }),
    ).toBe(true);
    expect(ruleAllows(rule, { verb: 'get', group: '', resource: 'pods' })).toBe(
      false,
    );
  });

  it.each([
    ['nothing', /top-level "users" list/],
    [{ users: [{ token: 't' }] }, /users\[0\] needs a string "name"/],
    [{ users: [{ name: 'a', token: 1 }] }, /users\[0\].token must be a string/],
    [
      { users: [{ name: 'a', groups: 'g' }] },
      /groups must be a list of strings/,
    ],
    [{ users: [], groups: {} }, /top-level "groups" must be a list/],
    [
      { users: [], groups: [{ rules: [] }] },
      /groups\[0\] needs a string "name"/,
    ],
    [
      { users: [], groups: [{ name: 'g', rules: [{ verbs: ['get'] }] }] },
      /groups\[0\].rules\[0\].apiGroups must be a list of strings/,
    ],
    [
      { users: [], groups: [{ name: 'g' }, { name: 'g' }] },
      /groups\[1\] repeats group "g"/,
    ],
    [
      { users: [{ name: 'a', token: 't', rules: [{ verbs: 'get' }] }] },
      /verbs must be a list of strings/,
    ],
    [
      {
        users: [
          { name: 'a', token: 't' },
          { name: 'b', token: 't' },
        ],
      },
      /reuses a token/,
    ],
  ])('rejects malformed config %#', (raw, message) => {
    expect(() => validateUsersConfig(raw)).toThrow(message);
  });
});

const WITH_GROUPS = `
users:
  - name: backstage-istio-rollouts
    token: sa-token
    rules:
      - { verbs: [impersonate], apiGroups: [""], resources: [users, groups] }
  - name: member
    token: member-token
    groups: [group:default/team-bookinfo]
  - name: user:default/guest
    rules:
      - { verbs: [get], apiGroups: [""], resources: [namespaces] }
groups:
  - name: group:default/team-bookinfo
    rules:
      - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"] }
      - verbs: [patch]
        apiGroups: [networking.istio.io]
        resources: [virtualservices, destinationrules]
        namespaces: [bookinfo]
  - name: system:authenticated
    rules:
      - { verbs: [delete], apiGroups: [""], resources: [pods], namespaces: [shared] }
`;

describe('users file with groups', () => {
  const config = parseUsersFile(WITH_GROUPS);
  const patchVs = (namespace: string) => ({
    verb: 'patch',
    group: 'networking.istio.io',
    resource: 'virtualservices',
    namespace,
    name: 'reviews',
  });

  it('keeps users without a token out of authentication', () => {
    expect(config.users.find(u => u.name === 'user:default/guest')).toEqual({
      name: 'user:default/guest',
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['namespaces'] }],
    });
    expect(authenticate(config, 'Bearer undefined')).toBeUndefined();
    expect(authenticate(config, 'Bearer member-token')?.name).toBe('member');
  });

  it('gives a token user its groups and system:authenticated', () => {
    const member = identityOf(authenticate(config, 'Bearer member-token')!);
    expect(member).toEqual({
      name: 'member',
      groups: ['group:default/team-bookinfo', 'system:authenticated'],
    });
    expect(authorize(config, member, patchVs('bookinfo'))).toBe(true);
    expect(authorize(config, member, patchVs('default'))).toBe(false);
    // system:authenticated's rules apply to every token user.
    const pods = { verb: 'delete', group: '', resource: 'pods' };
    expect(authorize(config, member, { ...pods, namespace: 'shared' })).toBe(
      true,
    );
    expect(authorize(config, member, { ...pods, namespace: 'other' })).toBe(
      false,
    );
  });

  it('adds the rules of every group of an identity to its own', () => {
    const guest = {
      name: 'user:default/guest',
      groups: ['group:default/team-bookinfo', 'unknown-group'],
    };
    expect(rulesOf(config, guest)).toHaveLength(3);
    expect(authorize(config, guest, patchVs('bookinfo'))).toBe(true);
    expect(
      authorize(config, guest, {
        verb: 'get',
        group: '',
        resource: 'namespaces',
      }),
    ).toBe(true);
    expect(
      authorize(
        config,
        { name: 'user:default/guest', groups: [] },
        patchVs('bookinfo'),
      ),
    ).toBe(false);
  });

  it('binds rules to the name: several tokens of one user share them', () => {
    const twoTokens = validateUsersConfig({
      users: [
        {
          name: 'u',
          token: 'a',
          rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
        },
        {
          name: 'u',
          token: 'b',
          rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
        },
      ],
    });
    const viaB = identityOf(authenticate(twoTokens, 'Bearer b')!);
    expect(
      authorize(twoTokens, viaB, { verb: 'get', group: '', resource: 'pods' }),
    ).toBe(true);
  });
});

describe('the demo users file (examples/clusters/users.yaml)', () => {
  const text = readFileSync(
    join(__dirname, '../../../examples/clusters/users.yaml'),
    'utf8',
  );
  const impersonateAttrs = (resource: string, name: string) => ({
    verb: 'impersonate',
    group: '',
    resource,
    name,
  });

  it('lets the service account impersonate users and groups, not the viewer', () => {
    const config = parseUsersFile(text);
    const as = (token: string) =>
      identityOf(authenticate(config, `Bearer ${token}`)!);
    for (const [resource, name] of [
      ['users', 'user:default/guest'],
      ['groups', 'group:default/team-bookinfo'],
    ]) {
      expect(
        authorize(
          config,
          as('demo-rollouts-token'),
          impersonateAttrs(resource, name),
        ),
      ).toBe(true);
      expect(
        authorize(
          config,
          as('demo-viewer-token'),
          impersonateAttrs(resource, name),
        ),
      ).toBe(false);
    }
  });

  it('has a commented example group that parses once uncommented', () => {
    const start = text.indexOf('# groups:');
    expect(start).toBeGreaterThan(0);
    const uncommented =
      text.slice(0, start) + text.slice(start).replace(/^# ?/gm, '');
    const config = parseUsersFile(uncommented);
    const guest = {
      name: 'user:default/guest',
      groups: ['group:default/team-bookinfo', 'system:authenticated'],
    };
    const patchVs = (namespace: string) => ({
      verb: 'patch',
      group: 'networking.istio.io',
      resource: 'virtualservices',
      namespace,
    });
    expect(authorize(config, guest, patchVs('bookinfo'))).toBe(true);
    expect(authorize(config, guest, patchVs('default'))).toBe(false);
  });
});
