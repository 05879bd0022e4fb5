import {
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findResource,
  findResourceByKind,
  isServedGroupVersion,
  splitApiVersion,
} from './resources';

describe('resource table and discovery', () => {
  it('lists apps, networking.istio.io with v1 preferred, and the GitOps groups', () => {
    const groups = apiGroupList().groups;
    expect(groups.map(g => g.name)).toEqual([
      'apps',
      'networking.istio.io',
      'argoproj.io',
      'kustomize.toolkit.fluxcd.io',
      'source.toolkit.fluxcd.io',
    ]);
    const istio = groups.find(g => g.name === 'networking.istio.io')!;
    expect(istio.versions.map(v => v.version)).toEqual([
      'v1',
      'v1beta1',
      'v1alpha3',
    ]);
    expect(istio.preferredVersion).toEqual({
      groupVersion: 'networking.istio.io/v1',
      version: 'v1',
    });
    expect(apiGroupDoc('apps')).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
    });
    expect(apiGroupDoc('nope')).toBeUndefined();
  });

  it('describes the core group', () => {
    expect(apiVersions('127.0.0.1:1')).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const core = apiResourceList('', 'v1');
    expect(core.groupVersion).toBe('v1');
    const ns = core.resources.find(r => r.name === 'namespaces')!;
    expect(ns).toMatchObject({
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      shortNames: ['ns'],
    });
    expect(core.resources.find(r => r.name === 'pods')).toMatchObject({
      namespaced: true,
      shortNames: ['po'],
    });
    expect(core.resources.find(r => r.name === 'services')).toMatchObject({
      shortNames: ['svc'],
    });
  });

  it.each(['v1', 'v1beta1', 'v1alpha3'])(
    'serves the Istio kinds at %s',
    version => {
      const list = apiResourceList('networking.istio.io', version);
      expect(list.groupVersion).toBe(`networking.istio.io/${version}`);
      const vs = list.resources.find(r => r.name === 'virtualservices')!;
      expect(vs).toMatchObject({
        singularName: 'virtualservice',
        namespaced: true,
        kind: 'VirtualService',
        shortNames: ['vs'],
      });
      expect(vs.verbs).toEqual(
        expect.arrayContaining([
          'get',
          'list',
          'watch',
          'create',
          'update',
          'patch',
          'delete',
        ]),
      );
      expect(
        list.resources.find(r => r.name === 'destinationrules'),
      ).toMatchObject({ shortNames: ['dr'] });
      expect(list.resources.find(r => r.name === 'gateways')).toMatchObject({
        shortNames: ['gw'],
      });
      expect(
        list.resources.find(r => r.name === 'virtualservices/status'),
      ).toMatchObject({ verbs: ['get', 'patch', 'update'] });
    },
  );

  it.each([
    ['argoproj.io', 'v1alpha1', 'applications', 'Application', ['app', 'apps']],
    [
      'kustomize.toolkit.fluxcd.io',
      'v1',
      'kustomizations',
      'Kustomization',
      ['ks'],
    ],
    [
      'source.toolkit.fluxcd.io',
      'v1',
      'gitrepositories',
      'GitRepository',
      ['gitrepo'],
    ],
  ])(
    'serves %s/%s %s as a namespaced custom resource',
    (group, version, plural, kind, shortNames) => {
      expect(apiGroupDoc(group)).toMatchObject({
        name: group,
        preferredVersion: { groupVersion: `${group}/${version}`, version },
      });
      const list = apiResourceList(group, version);
      expect(list.groupVersion).toBe(`${group}/${version}`);
      expect(list.resources[0]).toEqual({
        name: plural,
        singularName: kind.toLowerCase(),
        namespaced: true,
        kind,
        verbs: expect.arrayContaining(['get', 'list', 'watch', 'patch']),
        shortNames,
      });
      expect(findResource(group, version, plural)).toMatchObject({
        custom: true,
        tracksGeneration: true,
      });
      expect(findResourceByKind(`${group}/${version}`, kind)?.plural).toBe(
        plural,
      );
    },
  );

  it('gives Flux kinds the status subresource and Argo CD’s Application none, as their CRDs do', () => {
    for (const [group, plural] of [
      ['kustomize.toolkit.fluxcd.io', 'kustomizations'],
      ['source.toolkit.fluxcd.io', 'gitrepositories'],
    ]) {
      expect(
        apiResourceList(group, 'v1').resources.find(
          r => r.name === `${plural}/status`,
        ),
      ).toMatchObject({ verbs: ['get', 'patch', 'update'] });
    }
    expect(
      apiResourceList('argoproj.io', 'v1alpha1').resources.map(r => r.name),
    ).toEqual(['applications']);
    expect(
      findResource('argoproj.io', 'v1alpha1', 'applications')?.hasStatus,
    ).toBe(false);
    expect(findResource('argoproj.io', 'v1', 'applications')).toBeUndefined();
  });

  it('finds resources by plural and by kind', () => {
    expect(findResource('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(findResource('apps', 'v1beta1', 'deployments')).toBeUndefined();
    expect(
      findResourceByKind('networking.istio.io/v1alpha3', 'DestinationRule')
        ?.plural,
    ).toBe('destinationrules');
    expect(findResourceByKind('v1', 'Namespace')?.namespaced).toBe(false);
    expect(findResourceByKind('v1', 'ConfigMap')).toBeUndefined();
    expect(isServedGroupVersion('networking.istio.io', 'v1beta1')).toBe(true);
    expect(isServedGroupVersion('networking.istio.io', 'v2')).toBe(false);
    expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(splitApiVersion('apps/v1')).toEqual({
      group: 'apps',
      version: 'v1',
    });
  });
});
