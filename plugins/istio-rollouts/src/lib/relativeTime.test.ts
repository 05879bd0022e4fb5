import { exactTime, relativeTime } from './relativeTime';

describe('relativeTime', () => {
  const now = new Date('2026-05-01T12:00:00Z');
  it.each([
    ['2026-05-01T11:59:58Z', 'just now'],
    ['2026-05-01T11:59:30Z', '30 seconds ago'],
    ['2026-05-01T11:58:00Z', '2 minutes ago'],
    ['2026-05-01T09:00:00Z', '3 hours ago'],
    ['2026-04-30T12:00:00Z', 'yesterday'],
    ['2026-04-17T12:00:00Z', '2 weeks ago'],
    ['2025-05-01T12:00:00Z', 'last year'],
    ['not a date', 'not a date'],
  ])('%s is %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});

describe('exactTime', () => {
  it('writes the date and the time of day', () => {
    expect(exactTime('2026-05-01T12:00:00Z')).toMatch(/2026/);
    expect(exactTime('nope')).toBe('nope');
  });
});
