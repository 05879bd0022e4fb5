import { ConfigReader } from '@backstage/config';
import { readCacheOptions } from './cacheOptions';

describe('readCacheOptions', () => {
  it('watches and remembers offered actions for 10 s by default', () => {
    expect(readCacheOptions(new ConfigReader({}))).toEqual({
      watch: true,
      allowedActionsTtlMs: 10000,
    });
  });

  it('reads istioRollouts.cache', () => {
    expect(
      readCacheOptions(
        new ConfigReader({
          istioRollouts: { cache: { watch: false, allowedActionsTtlMs: 0 } },
        }),
      ),
    ).toEqual({ watch: false, allowedActionsTtlMs: 0 });
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

  it('refuses a watch setting that is not a boolean', () => {
    expect(() =>
      readCacheOptions(
        new ConfigReader({ istioRollouts: { cache: { watch: 'maybe' } } }),
      ),
    ).toThrow(/istioRollouts\.cache\.watch/);
  });
});
