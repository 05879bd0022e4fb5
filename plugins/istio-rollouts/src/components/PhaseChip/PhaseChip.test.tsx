import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gorillaResponse, reviewsResponse } from '../../__fixtures__/rollouts';
import { MeshRevisionChip, PhaseChip } from './PhaseChip';

describe('PhaseChip', () => {
  it.each([
    ['a canary with its share', reviewsResponse.rollouts[0], 'canary 50%'],
    [
      'blue/green by header',
      gorillaResponse.rollouts[0],
      'blue-green (header)',
    ],
  ])('shows %s in the server’s words', async (_, rollout, label) => {
    await renderInTestApp(<PhaseChip state={rollout.state} />);
    expect(screen.getByText(label)).toBeInTheDocument();
  });

  it('explains the phase on hover', async () => {
    await renderInTestApp(
      <PhaseChip state={reviewsResponse.rollouts[0].state} />,
    );
    await userEvent.hover(screen.getByText('canary 50%'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      "Canary: v2 takes 50% of this route's requests, v1 the rest.",
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
