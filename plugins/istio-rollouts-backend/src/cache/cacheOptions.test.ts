import { ConfigReader } from '@backstage/config';
import { readCacheOptions } from './cacheOptions';

describe('readCacheOptions', () => {
  it('watches and remembers offered actions for 10 s by default', () => {
    expect(readCacheOptions(new ConfigReader({}))).toEqual({
      watch: true,
      allowedActionsTtlMs: 10000,
      claimsTtlMs: 10000,
      lastKnownMaxAgeMs: 15 * 60 * 1000,
    });
  });

  it('reads istioRollouts.cache', () => {
    expect(
      readCacheOptions(
        new ConfigReader({
          istioRollouts: {
            cache: {
              watch: false,
              allowedActionsTtlMs: 0,
              claimsTtlMs: 500,
              lastKnownMaxAgeMs: 0,
            },
          },
        }),
      ),
    ).toEqual({
      watch: false,
      allowedActionsTtlMs: 0,
      claimsTtlMs: 500,
      lastKnownMaxAgeMs: 0,
    });
  });

  it('refuses a negative TTL, naming the key', () => {
    expect(() =>
      readCacheOptions(
        new ConfigReader({
          istioRollouts: { cache: { allowedActionsTtlMs: -1 } },
        }),
      ),
    ).toThrow(
      'istioRollouts.cache.allowedActionsTtlMs must be 0 or a positive number of milliseconds, got -1',
    );
  });

  it('refuses a last-known max age that is not a number of milliseconds', () => {
    expect(() =>
      readCacheOptions(
        new ConfigReader({
          istioRollouts: { cache: { lastKnownMaxAgeMs: -1 } },
        }),
      ),
    ).toThrow('istioRollouts.cache.lastKnownMaxAgeMs must be 0 or a positive');
  });

  it('refuses a claims TTL that is not a number of milliseconds', () => {
    expect(() =>
      readCacheOptions(
        new ConfigReader({ istioRollouts: { cache: { claimsTtlMs: -5 } } }),
      ),
    ).toThrow('istioRollouts.cache.claimsTtlMs must be 0 or a positive');
  });

  it('refuses a watch setting that is not a boolean', () => {
    expect(() =>
      readCacheOptions(
        new ConfigReader({ istioRollouts: { cache: { watch: 'maybe' } } }),
      ),
    ).toThrow(/istioRollouts\.cache\.watch/);
  });
});
