import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { demoOrgApis } from '../__testUtils__/renderWithApi';
import { useEntityAccess } from './entityAccess';

const webService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-service', namespace: 'default' },
  spec: { owner: 'group:default/team-web' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-web' }],
};

function render(apis: [unknown, unknown][]) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={apis as any}>{children}</TestApiProvider>
  );
  return renderHook(() => useEntityAccess(webService), { wrapper });
}

describe('useEntityAccess', () => {
  it('names the owner by its ref at once, then by its title from the catalog', async () => {
    const org = demoOrgApis();
    let answer: (value: any) => void = () => {};
    org.catalogApi.getEntitiesByRefs.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve)),
    );
    const { result } = render([
      [catalogApiRef, org.catalogApi],
      [identityApiRef, org.identityApi],
    ]);
    // Rendering never waits for the catalog.
    expect(result.current.owners).toEqual([
      { ref: 'group:default/team-web', title: 'team-web' },
    ]);
    answer({
      items: [
        { kind: 'Group', metadata: { name: 'team-web', title: 'Team Web' } },
      ],
    });
    await waitFor(() =>
      expect(result.current.owners[0].title).toBe('Team Web'),
    );
    expect(result.current.userIsOwner).toBe(false);
    expect(org.catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: ['group:default/team-web'],
      fields: expect.arrayContaining([
        'metadata.title',
        'spec.profile.displayName',
      ]),
    });
  });

  it('keeps the ref’s name when the catalog fails', async () => {
    const org = demoOrgApis();
    org.catalogApi.getEntitiesByRefs.mockRejectedValueOnce(new Error('down'));
    const { result } = render([
      [catalogApiRef, org.catalogApi],
      [identityApiRef, org.identityApi],
    ]);
    await waitFor(() => expect(result.current.userIsOwner).toBe(false));
    expect(result.current.owners[0].title).toBe('team-web');
  });

  it('works in an app without the catalog or identity API', async () => {
    const { result } = render([]);
    await act(async () => {});
    expect(result.current).toEqual({
      entityTitle: 'web-service',
      owners: [{ ref: 'group:default/team-web', title: 'team-web' }],
      userIsOwner: undefined,
    });
  });
});
