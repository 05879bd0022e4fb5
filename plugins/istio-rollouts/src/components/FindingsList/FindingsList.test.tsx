import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { FindingsList } from './FindingsList';

describe('FindingsList', () => {
  it('shows each finding with its code and severity', async () => {
    await renderInTestApp(
      <FindingsList
        findings={[
          {
            code: 'SUBSET_NOT_DEFINED',
            severity: 'error',
            message:
              'Route http[0] sends to subset v4, which no DestinationRule defines.',
            route: { kind: 'http', index: 0 },
            subset: 'v4',
          },
          {
            code: 'TRACKED_BY_GITOPS',
            severity: 'info',
            message: 'Argo CD applies this VirtualService from Git.',
          },
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Findings' }),
    ).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'SUBSET_NOT_DEFINEDRoute http[0] sends to subset v4',
    );
    expect(within(items[0]).getByRole('alert')).toHaveClass(
      'MuiAlert-standardError',
    );
    expect(within(items[1]).getByRole('alert')).toHaveClass(
      'MuiAlert-standardInfo',
    );
  });

  it('renders nothing without findings', async () => {
    await renderInTestApp(<FindingsList findings={[]} />);
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});
