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

  it.each([
    [0, 'Rollouts in this cluster are not shown'],
    [1, 'Its last-known VirtualService is shown below, greyed and read-only'],
    [
      2,
      'Its 2 last-known VirtualServices are shown below, greyed and read-only',
    ],
  ])(
    'with %i last-known rollouts below, says what the page shows of the cluster',
    async (lastKnown, words) => {
      await renderInTestApp(
        <ClusterErrorPanel
          cluster={{
            name: 'demo-west',
            status: 'error',
            error: { reason: 'Timeout', message: 'Cluster "demo-west": late' },
          }}
          lastKnown={lastKnown}
        />,
      );
      expect(screen.getByRole('alert')).toHaveTextContent(words);
    },
  );
});
