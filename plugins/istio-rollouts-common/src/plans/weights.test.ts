import { finalCanaryWeight, isPromotionPlan } from './weights';

describe('isPromotionPlan', () => {
  it.each([
    [[{ setWeight: 10 }, { setWeight: 100 }], true, 100],
    [[{ setWeight: 100 }, { pause: {} }], true, 100],
    [[{ setWeight: 10 }, { setWeight: 50 }], false, 50],
    [[{ setWeight: 0 }], false, 0],
  ])('%j: promotion %s, ends at %i', (steps, promotion, final) => {
    expect(isPromotionPlan({ steps })).toBe(promotion);
    expect(finalCanaryWeight(steps)).toBe(final);
  });
});
