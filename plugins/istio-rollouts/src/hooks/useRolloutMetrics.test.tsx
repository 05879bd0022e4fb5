import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { istioRolloutsApiRef } from '../api';
import { reviewsMetrics } from '../__fixtures__/metrics';
import { mockApi } from '../__testUtils__/renderWithApi';
import {
  METRICS_POLL_INTERVAL_MS,
  useRolloutMetrics,
} from './useRolloutMetrics';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };

function setup(pollIntervalMs?: number | null) {
  const api = mockApi();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[istioRolloutsApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  return {
    api,
    ...renderHook(() => useRolloutMetrics(entityRef, pollIntervalMs), {
      wrapper,
    }),
  };
}

describe('useRolloutMetrics', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the canary health on mount and again every 15 s', async () => {
    jest.useFakeTimers();
    expect(METRICS_POLL_INTERVAL_MS).toBe(15_000);
    const { api, result } = setup();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetrics);
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(1);
    expect(api.getRolloutMetrics).toHaveBeenCalledWith(entityRef, {
      signal: expect.any(AbortSignal),
    });
    // the first read never answers (the mock's default); the poll waits for it
    await act(async () => {
      jest.advanceTimersByTime(15_000);
    });
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(1);
    act(() => result.current.refresh());
    await act(async () => {});
    expect(result.current.value).toEqual(reviewsMetrics);
    await act(async () => {
      jest.advanceTimersByTime(14_000);
    });
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(2);
    await act(async () => {
      jest.advanceTimersByTime(1_000);
    });
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(3);
  });

  it('keeps the last figures when a read fails, with the error beside them', async () => {
    const { api, result } = setup(null);
    api.getRolloutMetrics
      .mockResolvedValueOnce(reviewsMetrics)
      .mockRejectedValueOnce(new Error('Prometheus is unreachable'));
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toBeDefined());
    expect(result.current.error).toBeUndefined();
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Prometheus is unreachable'),
    );
    expect(result.current.value).toEqual(reviewsMetrics);
  });
});
