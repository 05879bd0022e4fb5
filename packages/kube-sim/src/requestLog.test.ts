import { bodyForLog, queryToObject, RequestLog } from './requestLog';

describe('RequestLog', () => {
  const entry = (path: string) => ({
    method: 'GET',
    path,
    query: {},
    status: 200,
    time: 't',
  });

  it('keeps entries in order and drops the oldest beyond its limit', () => {
    const log = new RequestLog(2);
    log.add(entry('/a'));
    log.add(entry('/b'));
    log.add(entry('/c'));
    expect(log.list().map(e => e.path)).toEqual(['/b', '/c']);
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('returns copies', () => {
    const log = new RequestLog();
    log.add(entry('/a'));
    log.list()[0].path = '/changed';
    expect(log.list()[0].path).toBe('/a');
  });

  it('flattens query parameters, keeping repeated ones as lists', () => {
    expect(queryToObject(new URLSearchParams('a=1&b=2&b=3'))).toEqual({
      a: '1',
      b: ['2', '3'],
    });
  });

  it('parses JSON bodies and keeps other text', () => {
    expect(bodyForLog('{"a":1}')).toEqual({ a: 1 });
    expect(bodyForLog('kind: Namespace')).toBe('kind: Namespace');
    expect(bodyForLog('')).toBeUndefined();
  });
});
