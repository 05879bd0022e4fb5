import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { istioRolloutsApiRef } from '../api';
import { reviewsResponse } from '../__fixtures__/rollouts';
import { mockApi } from '../__testUtils__/renderWithApi';
import { useRollouts } from './useRollouts';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };

function setup(pollIntervalMs: number | null, enabled = true) {
  const api = mockApi();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[istioRolloutsApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  return {
    api,
    ...renderHook(() => useRollouts(entityRef, pollIntervalMs, enabled), {
      wrapper,
    }),
  };
}

describe('useRollouts', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps the same answer object when a refresh reads the same thing', async () => {
    jest.useFakeTimers();
    const api = mockApi();
    api.getRollouts.mockImplementation(async () =>
      JSON.parse(JSON.stringify(reviewsResponse)),
    );
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[istioRolloutsApiRef, api]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(() => useRollouts(entityRef, 5000), {
      wrapper,
    });
    await act(async () => {});
    const first = result.current.value;
    expect(first).toEqual(reviewsResponse);
    await act(async () => {
      jest.advanceTimersByTime(5000);
    });
    expect(api.getRollouts).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(first);
    expect(result.current.loading).toBe(false);
  });

  it('does not start a poll while a read is in flight, and refresh supersedes it', async () => {
    const { api, result } = setup(null);
    expect(api.getRollouts).toHaveBeenCalledTimes(1);
    const firstSignal = api.getRollouts.mock.calls[0][1]?.signal;
    api.getRollouts.mockResolvedValueOnce(reviewsResponse);
    act(() => result.current.refresh());
    expect(firstSignal?.aborted).toBe(true);
    await waitFor(() => expect(result.current.value).toEqual(reviewsResponse));
  });

  it('reads nothing while disabled', async () => {
    const { api, result } = setup(10, false);
    await new Promise(r => setTimeout(r, 30));
    expect(api.getRollouts).not.toHaveBeenCalled();
    expect(result.current.loading).toBe(false);
  });

  it('shows a rollout as an action read it back', async () => {
    const { api, result } = setup(null);
    api.getRollouts.mockResolvedValueOnce(reviewsResponse);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toBeDefined());
    const updated = { ...reviewsResponse.rollouts[0], resourceVersion: '99' };
    act(() => result.current.replaceRollout(updated));
    expect(result.current.value?.rollouts[0].resourceVersion).toBe('99');
    expect(result.current.value?.rollouts[1]).toBe(reviewsResponse.rollouts[1]);
  });
});
