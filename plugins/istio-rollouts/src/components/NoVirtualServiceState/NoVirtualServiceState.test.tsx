import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { NoVirtualServiceState } from './NoVirtualServiceState';

/** The text of the copyable snippet named `name`, once the highlighter rendered it. */
async function snippet(name: string): Promise<string> {
  const group = screen.getByRole('group', { name });
  await waitFor(() => expect(group.querySelector('code')).not.toBeNull());
  expect(
    within(group).getByRole('button', { name: 'Copy text' }),
  ).toBeVisible();
  return group.querySelector('code')!.textContent ?? '';
}

describe('NoVirtualServiceState', () => {
  it('says which label to put on which objects, with copyable snippets', async () => {
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
    expect(screen.getByText('Deployments')).toBeInTheDocument();
    expect(await snippet('Label in a manifest')).toBe(
      'metadata:\n  labels:\n    backstage.io/kubernetes-id: details',
    );
    // the namespace the entity names goes into the command
    expect(await snippet('kubectl command')).toMatch(
      /^kubectl label -n bookinfo .* backstage.io\/kubernetes-id=details$/,
    );
  });

  it('shows a label selector as written, with no label to copy', async () => {
    await renderInTestApp(
      <NoVirtualServiceState
        selector={{ selector: 'app=details,team=books' }}
      />,
    );
    expect(screen.getByText('app=details,team=books')).toBeInTheDocument();
    expect(screen.getByText(/labels the selector matches/)).toBeInTheDocument();
    expect(
      screen.queryByRole('group', { name: 'Label in a manifest' }),
    ).toBeNull();
  });
});
