import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gorillaResponse, reviewsResponse } from '../../__fixtures__/rollouts';
import { MeshRevisionChip, PhaseChip } from './PhaseChip';

describe('PhaseChip', () => {
  it.each([
    ['a canary with its share', reviewsResponse.rollouts[0], 'canary 50%'],
    ['blue/green', gorillaResponse.rollouts[0], 'blue-green'],
  ])('shows %s', async (_, rollout, label) => {
    await renderInTestApp(<PhaseChip rollout={rollout} />);
    expect(screen.getByText(label)).toBeInTheDocument();
  });

  it('explains the phase on hover', async () => {
    await renderInTestApp(<PhaseChip rollout={reviewsResponse.rollouts[0]} />);
    await userEvent.hover(screen.getByText('canary 50%'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Canary: v2 takes a share of the traffic next to v1.',
    );
  });
});

describe('MeshRevisionChip', () => {
  it('says it is the Istio revision, not an application canary', async () => {
    await renderInTestApp(
      <MeshRevisionChip revision="canary" namespace="foobar" />,
    );
    await userEvent.hover(screen.getByText('Istio revision canary'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /istio\.io\/rev=canary.*not an application canary/,
    );
  });
});
