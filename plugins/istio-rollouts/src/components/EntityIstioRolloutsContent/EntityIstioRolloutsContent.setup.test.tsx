import { screen } from '@testing-library/react';
import {
  component,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';

describe('the Rollouts tab of an entity without the Kubernetes annotations', () => {
  it('shows the plugin’s set-up help for that entity, and reads nothing', async () => {
    const api = mockApi();
    await renderWithApi(
      <EntityIstioRolloutsContent setupDocsUrl="https://docs.example.com/istio-rollouts#set-up-an-entity" />,
      { api, entity: component('details', {}) },
    );
    expect(
      screen.getByRole('heading', {
        name: 'Set up details for the Rollouts tab',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-id=details'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Set up an entity/ }),
    ).toHaveAttribute(
      'href',
      'https://docs.example.com/istio-rollouts#set-up-an-entity',
    );
    // not Backstage's generic "enable this tool" state
    expect(screen.queryByText(/Missing Annotation/i)).toBeNull();
    expect(api.getRollouts).not.toHaveBeenCalled();
  });
});
