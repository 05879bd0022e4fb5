import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ClusterErrorPanel } from './ClusterErrorPanel';

describe('ClusterErrorPanel', () => {
  it.each([
    ['Timeout', 'demo-west did not answer in time (Timeout)'],
    ['Forbidden', 'demo-west denied the plugin access (Forbidden)'],
    ['SomethingNew', 'demo-west could not be read (SomethingNew)'],
  ])('explains %s and shows the backend’s message', async (reason, title) => {
    await renderInTestApp(
      <ClusterErrorPanel
        cluster={{
          name: 'demo-west',
          status: 'error',
          error: { reason, message: 'Cluster "demo-west": details' },
        }}
      />,
    );
    expect(screen.getByText(title)).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Cluster "demo-west": details',
    );
  });
});
