import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { SetUpEntityState } from './SetUpEntityState';

/** The text of the copyable snippet named `name`, once the highlighter rendered it. */
async function snippet(name: string): Promise<string> {
  const group = screen.getByRole('group', { name });
  await waitFor(() => expect(group.querySelector('code')).not.toBeNull());
  expect(
    within(group).getByRole('button', { name: 'Copy text' }),
  ).toBeVisible();
  return group.querySelector('code')!.textContent ?? '';
}

const details: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'details', namespace: 'default' },
  spec: { type: 'service', owner: 'team-bookinfo', lifecycle: 'production' },
};

describe('SetUpEntityState', () => {
  it('walks through annotating the entity and labelling its objects, prefilled with its name', async () => {
    await renderInTestApp(<SetUpEntityState entity={details} />);
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'Set up details for the Rollouts tab',
      }),
    ).toBeInTheDocument();
    const steps = screen.getAllByRole('heading', { level: 3 });
    expect(steps.map(s => s.textContent)).toEqual([
      'Annotate the entity in its catalog-info.yaml',
      'Label its Istio objects in every cluster',
      'Let the catalog read it',
    ]);

    expect(await snippet('Annotation in catalog-info.yaml')).toBe(
      [
        'metadata:',
        '  name: details',
        '  annotations:',
        '    backstage.io/kubernetes-id: details',
      ].join('\n'),
    );
    // the alternatives: one namespace, or a label selector
    expect(
      screen.getByText('backstage.io/kubernetes-namespace: <namespace>'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-label-selector: app=details'),
    ).toBeInTheDocument();

    expect(
      screen.getByText('backstage.io/kubernetes-id=details'),
    ).toBeInTheDocument();
    for (const kind of [
      'VirtualService',
      'DestinationRules',
      'Deployments',
      'Services',
    ]) {
      expect(screen.getByText(kind)).toBeInTheDocument();
    }
    expect(await snippet('Label in a manifest')).toContain(
      'backstage.io/kubernetes-id: details',
    );
    expect(await snippet('kubectl command')).toContain(
      'backstage.io/kubernetes-id=details',
    );
  });

  it('links to the set-up docs when the app says where they are', async () => {
    await renderInTestApp(
      <SetUpEntityState
        entity={details}
        setupDocsUrl="https://git.example.com/portal/plugins/istio-rollouts#set-up-an-entity"
      />,
    );
    expect(
      screen.getByRole('link', { name: /Set up an entity/ }),
    ).toHaveAttribute(
      'href',
      'https://git.example.com/portal/plugins/istio-rollouts#set-up-an-entity',
    );
  });

  it('names the README section when there is no link', async () => {
    await renderInTestApp(<SetUpEntityState entity={details} />);
    expect(screen.queryByRole('link', { name: /Set up an entity/ })).toBeNull();
    expect(screen.getByText(/“Set up an entity”/)).toBeInTheDocument();
  });
});
