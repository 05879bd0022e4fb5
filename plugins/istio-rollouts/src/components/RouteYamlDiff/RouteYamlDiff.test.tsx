import { render, screen, within } from '@testing-library/react';
import { setWeightsDryRun } from '../../__fixtures__/actions';
import { RouteYamlDiff } from './RouteYamlDiff';

const change = setWeightsDryRun.routes[0];

function changedLines(block: HTMLElement) {
  return [...block.querySelectorAll('[data-change]')]
    .filter(line => line.getAttribute('data-change') !== 'unchanged')
    .map(line => ({
      tag: line.tagName.toLowerCase(),
      // what a sighted user reads: the marker, then the line
      text: line.textContent?.replace(/^(.)(added: |removed: )/, '$1'),
    }));
}

describe('RouteYamlDiff', () => {
  it('shows the route after the change as YAML, each changed line marked + or - and as an insertion or deletion', () => {
    render(<RouteYamlDiff change={change} />);
    const block = screen.getByRole('region', {
      name: 'YAML of http[0] reviews-route after the change',
    });
    expect(block).toHaveTextContent('name: reviews-route');
    expect(block).toHaveTextContent('prefix: /reviews');
    expect(changedLines(block)).toEqual([
      { tag: 'del', text: '-    weight: 50' },
      { tag: 'ins', text: '+    weight: 80' },
      { tag: 'del', text: '-    weight: 50' },
      { tag: 'ins', text: '+    weight: 20' },
    ]);
  });

  it('says in words what the markers mean and how many lines change', () => {
    render(<RouteYamlDiff change={change} />);
    expect(
      screen.getByText(
        'spec.http[0] after the change, as YAML: lines marked + are added, lines marked - are removed (2 lines removed, 2 added).',
      ),
    ).toBeInTheDocument();
  });

  it('names each changed line for screen readers, and hides the marker from them', () => {
    render(<RouteYamlDiff change={change} />);
    const block = screen.getByRole('region');
    const added = block.querySelector('ins')!;
    expect(within(added).getByText('added:', { exact: false })).toBeTruthy();
    expect(added.firstElementChild).toHaveAttribute('aria-hidden', 'true');
    expect(added.firstElementChild).toHaveTextContent('+');
    expect(block.querySelector('del')).toHaveTextContent('removed:');
  });

  it('can be scrolled by keyboard: the block takes the focus', () => {
    render(<RouteYamlDiff change={change} />);
    expect(screen.getByRole('region')).toHaveAttribute('tabindex', '0');
  });
});
