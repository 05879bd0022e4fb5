import { routeLabel } from './routeLabel';

describe('routeLabel', () => {
  it.each([
    [
      { kind: 'http', index: 0, name: 'reviews-route' },
      'http[0] reviews-route',
    ],
    [{ kind: 'tcp', index: 2 }, 'tcp[2]'],
    [{ kind: 'tls', index: 1, name: '' }, 'tls[1]'],
  ] as const)('%j is %s', (route, expected) => {
    expect(routeLabel(route)).toBe(expected);
  });
});
