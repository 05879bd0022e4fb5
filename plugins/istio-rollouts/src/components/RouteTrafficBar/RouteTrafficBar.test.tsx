import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { blue, deepOrange } from '@material-ui/core/colors';
import { SubsetColorsProvider } from '../../hooks/subsetColors';
import { RouteTrafficBar } from './RouteTrafficBar';

const d = (subset: string, weight: number) => ({
  host: 'reviews',
  subset,
  weight,
});

describe('RouteTrafficBar', () => {
  it('writes each share on the bar and names the split for screen readers', async () => {
    await renderInTestApp(
      <RouteTrafficBar
        title="http[0] reviews-route"
        destinations={[d('v1', 50), d('v2', 50)]}
      />,
    );
    expect(
      screen.getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('v1 50%')).toBeInTheDocument();
    expect(screen.getByText('v2 50%')).toBeInTheDocument();
  });

  it('colours each subset with the page’s colour for it', async () => {
    await renderInTestApp(
      <SubsetColorsProvider keys={['v1', 'v2', 'v3']}>
        <RouteTrafficBar destinations={[d('v1', 80), d('v2', 20)]} />
      </SubsetColorsProvider>,
    );
    expect(screen.getByTitle('v1: 80%')).toHaveStyle({
      backgroundColor: blue[700],
      width: '80%',
    });
    expect(screen.getByTitle('v2: 20%')).toHaveStyle({
      backgroundColor: deepOrange[700],
    });
  });

  it('leaves destinations at 0% off the bar but lists them in the legend', async () => {
    await renderInTestApp(
      <RouteTrafficBar destinations={[d('blue', 100), d('green', 0)]} />,
    );
    expect(screen.queryByTitle('green: 0%')).not.toBeInTheDocument();
    expect(screen.getByText(/^green/)).toHaveTextContent('green 0%');
    expect(screen.getByText('0%')).toBeInTheDocument();
  });

  it('shows relative weights as Istio reads them', async () => {
    await renderInTestApp(
      <RouteTrafficBar destinations={[d('v1', 60), d('v2', 60)]} />,
    );
    expect(
      screen.getByRole('img', { name: 'Traffic: v1 50% / v2 50%' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/\(weight 60\)/)).toHaveLength(2);
  });

  it('says when a route sends no traffic at all', async () => {
    await renderInTestApp(
      <RouteTrafficBar destinations={[d('v1', 0), d('v2', 0)]} />,
    );
    expect(screen.getByText('no traffic')).toBeInTheDocument();
  });
});
