import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { NoVirtualServiceState } from './NoVirtualServiceState';

describe('NoVirtualServiceState', () => {
  it('says which label to put on which objects', async () => {
    await renderInTestApp(
      <NoVirtualServiceState
        selector={{
          selector: 'backstage.io/kubernetes-id=details',
          label: { key: 'backstage.io/kubernetes-id', value: 'details' },
          namespace: 'bookinfo',
        }}
      />,
    );
    expect(
      screen.getByText('backstage.io/kubernetes-id=details'),
    ).toBeInTheDocument();
    expect(screen.getByText(/in namespace bookinfo/)).toBeInTheDocument();
    expect(
      screen.getByText(/labels:\s+backstage.io\/kubernetes-id: details/),
    ).toBeInTheDocument();
    expect(screen.getByText('Deployments')).toBeInTheDocument();
  });

  it('shows a label selector as written', async () => {
    await renderInTestApp(
      <NoVirtualServiceState
        selector={{ selector: 'app=details,team=books' }}
      />,
    );
    expect(screen.getByText('app=details,team=books')).toBeInTheDocument();
    expect(screen.queryByText(/labels:/)).toBeNull();
  });
});
