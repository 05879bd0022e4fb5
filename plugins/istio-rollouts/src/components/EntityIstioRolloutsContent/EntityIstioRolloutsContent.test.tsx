import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'reviews', annotations },
  spec: { type: 'service', owner: 'team-bookinfo', lifecycle: 'production' },
});

describe('EntityIstioRolloutsContent', () => {
  it('tells the user which annotation to add when the entity has none', async () => {
    await renderInTestApp(
      <EntityProvider entity={component({})}>
        <EntityIstioRolloutsContent />
      </EntityProvider>,
    );
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
  });

  it('names the label selector it reads objects with', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={component({ 'backstage.io/kubernetes-id': 'reviews' })}
      >
        <EntityIstioRolloutsContent />
      </EntityProvider>,
    );
    expect(
      screen.getByText('backstage.io/kubernetes-id=reviews'),
    ).toBeInTheDocument();
  });
});
