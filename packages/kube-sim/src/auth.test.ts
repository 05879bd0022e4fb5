import {
  authenticate,
  authorize,
  parseUsersFile,
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
    expect(authorize(user(name), attrs)).toBe(expected);
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
    [{ users: [{ name: 'a' }] }, /needs a string "name" and "token"/],
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
