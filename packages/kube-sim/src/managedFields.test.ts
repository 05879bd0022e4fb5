import {
  fieldManagerOf,
  managedFieldsAfter,
  ManagedFieldsEntry,
} from './managedFields';
import { KubeObject } from './objects';

const vs = (weights: number[], labels = { app: 'reviews' }): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo', labels },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        route: weights.map((weight, i) => ({
          destination: { host: 'reviews', subset: `v${i + 1}` },
          weight,
        })),
      },
    ],
  },
});

const update = (manager: string) => ({
  manager,
  operation: 'Update' as const,
  apiVersion: 'networking.istio.io/v1',
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 14, 12, 0, s));

/** An object as stored after a write: with the managedFields it left. */
function written(obj: KubeObject, entries: ManagedFieldsEntry[]): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, managedFields: entries } };
}

describe('fieldManagerOf', () => {
  it('takes fieldManager, else the User-Agent up to its first slash, as the API server does', () => {
    expect(fieldManagerOf('kubectl-patch', 'kubectl/v1.31.0')).toBe(
      'kubectl-patch',
    );
    expect(fieldManagerOf(null, 'kubectl/v1.31.0 (linux/amd64)')).toBe(
      'kubectl',
    );
    expect(fieldManagerOf('', 'node-fetch')).toBe('node-fetch');
    expect(fieldManagerOf(undefined, undefined)).toBe('');
    expect(fieldManagerOf(undefined, `${'a'.repeat(200)}/1`)).toHaveLength(128);
    expect(fieldManagerOf(undefined, 'my\u0007tool/1')).toBe('mytool');
  });
});

describe('managedFieldsAfter', () => {
  it('gives the creator every field it set, as an Update with the time and FieldsV1', () => {
    const entries = managedFieldsAfter({
      next: vs([50, 50]),
      owner: update('kubectl-create'),
      now: at(1),
    });
    expect(entries).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'networking.istio.io/v1',
        time: '2026-12-14T12:00:01Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': {} },
          'f:spec': { 'f:hosts': {}, 'f:http': {} },
        },
      },
    ]);
  });

  it('moves the fields an Update changes to its manager and leaves the others theirs', () => {
    const created = written(
      vs([50, 50]),
      managedFieldsAfter({
        next: vs([50, 50]),
        owner: update('kubectl-create'),
        now: at(1),
      }),
    );
    const entries = managedFieldsAfter({
      previous: created,
      next: { ...created, spec: vs([70, 30]).spec },
      owner: update('kubectl-patch'),
      now: at(5),
    });
    expect(entries).toEqual([
      expect.objectContaining({
        manager: 'kubectl-create',
        time: '2026-12-14T12:00:01Z',
        fieldsV1: {
          'f:metadata': { 'f:labels': {} },
          'f:spec': { 'f:hosts': {} },
        },
      }),
      expect.objectContaining({
        manager: 'kubectl-patch',
        operation: 'Update',
        time: '2026-12-14T12:00:05Z',
        fieldsV1: { 'f:spec': { 'f:http': {} } },
      }),
    ]);
  });

  it('changes nothing, not even a time, on a write that changes nothing', () => {
    const created = written(
      vs([50, 50]),
      managedFieldsAfter({
        next: vs([50, 50]),
        owner: update('kubectl-create'),
        now: at(1),
      }),
    );
    const entries = managedFieldsAfter({
      previous: created,
      next: created,
      owner: update('backstage-istio-rollouts'),
      now: at(9),
    });
    expect(entries).toBe(created.metadata.managedFields);
  });

  it('keeps one Update entry per manager, whose fields grow with each change', () => {
    let obj = written(
      vs([50, 50]),
      managedFieldsAfter({
        next: vs([50, 50]),
        owner: update('a'),
        now: at(1),
      }),
    );
    for (const [next, manager, s] of [
      [vs([70, 30]), 'b', 2],
      [vs([70, 30], { app: 'reviews', tier: 'x' } as never), 'b', 3],
    ] as const) {
      const changed = {
        ...next,
        metadata: { ...obj.metadata, labels: next.metadata.labels },
      };
      obj = written(
        changed,
        managedFieldsAfter({
          previous: obj,
          next: changed,
          owner: update(manager),
          now: at(s),
        }),
      );
    }
    const entries = obj.metadata.managedFields as ManagedFieldsEntry[];
    expect(entries.map(e => [e.manager, e.time, e.fieldsV1])).toEqual([
      ['a', '2026-12-14T12:00:01Z', { 'f:spec': { 'f:hosts': {} } }],
      [
        'b',
        '2026-12-14T12:00:03Z',
        { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:http': {} } },
      ],
    ]);
  });

  it('records an apply as Apply owning what it declared, listed before the Updates', () => {
    const created = written(
      vs([50, 50]),
      managedFieldsAfter({
        next: vs([50, 50]),
        owner: update('kubectl-create'),
        now: at(1),
      }),
    );
    const applied: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: { http: (vs([90, 10]).spec as { http: unknown }).http },
    };
    const entries = managedFieldsAfter({
      previous: created,
      next: { ...created, spec: vs([90, 10]).spec },
      applied,
      owner: { ...update('argocd-controller'), operation: 'Apply' },
      now: at(7),
    });
    expect(entries.map(e => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ['argocd-controller', 'Apply', { 'f:spec': { 'f:http': {} } }],
      [
        'kubectl-create',
        'Update',
        { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:hosts': {} } },
      ],
    ]);
  });

  it('clears the entries when a write sends [{}], and keeps them when it sends none or []', () => {
    const created = written(
      vs([50, 50]),
      managedFieldsAfter({
        next: vs([50, 50]),
        owner: update('a'),
        now: at(1),
      }),
    );
    const sending = (managedFields: unknown, weights: number[]) => ({
      ...created,
      spec: vs(weights).spec,
      metadata: { ...created.metadata, managedFields },
    });
    expect(
      managedFieldsAfter({
        previous: created,
        next: sending([{}], [70, 30]),
        owner: update('b'),
        now: at(2),
      }).map(e => [e.manager, e.fieldsV1]),
    ).toEqual([['b', { 'f:spec': { 'f:http': {} } }]]);
    expect(
      managedFieldsAfter({
        previous: created,
        next: sending([], [50, 50]),
        owner: update('b'),
        now: at(2),
      }),
    ).toBe(created.metadata.managedFields);
  });

  it('tracks status apart: only a write to the status subresource owns it', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'reviews-v1' },
      spec: { replicas: 1 },
      status: { readyReplicas: 1 },
    };
    expect(
      managedFieldsAfter({
        next: deployment,
        owner: {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          subresource: 'status',
        },
        now: at(1),
      }),
    ).toEqual([
      expect.objectContaining({
        subresource: 'status',
        fieldsV1: { 'f:status': { 'f:readyReplicas': {} } },
      }),
    ]);
  });
});
