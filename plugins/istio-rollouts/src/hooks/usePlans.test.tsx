import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { istioRolloutsApiRef } from '../api';
import { pausedPlan, reviewsPlans, runningPlan } from '../__fixtures__/plans';
import { mockApi } from '../__testUtils__/renderWithApi';
import { usePlans } from './usePlans';
import { DEFAULT_POLL_INTERVAL_MS } from './useRollouts';

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
    ...renderHook(() => usePlans(entityRef, pollIntervalMs), { wrapper }),
  };
}

describe('usePlans', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the plans on mount and again as often as the rollouts', async () => {
    jest.useFakeTimers();
    const { api, result } = setup();
    api.getPlans.mockResolvedValue(reviewsPlans);
    expect(api.getPlans).toHaveBeenCalledTimes(1);
    expect(api.getPlans).toHaveBeenCalledWith(entityRef, {
      signal: expect.any(AbortSignal),
    });
    // the first read never answers (the mock's default): the poll waits for it
    await act(async () => {
      jest.advanceTimersByTime(DEFAULT_POLL_INTERVAL_MS);
    });
    expect(api.getPlans).toHaveBeenCalledTimes(1);
    act(() => result.current.refresh());
    await act(async () => {});
    expect(result.current.value).toEqual(reviewsPlans);
    await act(async () => {
      jest.advanceTimersByTime(DEFAULT_POLL_INTERVAL_MS);
    });
    expect(api.getPlans).toHaveBeenCalledTimes(3);
  });

  it('shows a command’s answer at once, then what the next read says', async () => {
    const { api, result } = setup(null);
    api.getPlans.mockResolvedValue(reviewsPlans);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toEqual(reviewsPlans));

    act(() => result.current.replaceRecord(pausedPlan));
    expect(result.current.value?.plans[0]).toBe(pausedPlan);
    expect(result.current.value?.plans).toHaveLength(2);

    // a plan the list doesn't have yet (just started) comes first
    const started = { ...runningPlan, id: '13' };
    act(() => result.current.replaceRecord(started));
    expect(result.current.value?.plans.map(p => p.id)).toEqual([
      '13',
      '12',
      '9',
    ]);

    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toEqual(reviewsPlans));
  });
});
