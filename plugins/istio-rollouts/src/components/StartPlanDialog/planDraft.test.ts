import { templates } from '../../__fixtures__/plans';
import {
  checkPlanRequest,
  draftSteps,
  locateField,
  newStep,
} from './planDraft';

const target = {
  rolloutId: 'demo-west/bookinfo/reviews',
  resourceVersion: '14',
  route: { kind: 'http' as const, index: 0, name: 'reviews-route' },
  stableSubset: 'v1',
  canarySubset: 'v2',
};

describe('draftSteps', () => {
  it('sends numbers as numbers, leaves empty fields out and keeps other text for the check to name', () => {
    expect(
      draftSteps([
        newStep('setWeight', '10'),
        { ...newStep('pause'), duration: '300' },
        newStep('pause'),
        {
          ...newStep('analysis'),
          analysis: { count: '5', minSuccessRate: '' },
        },
        newStep('setWeight', 'ten'),
      ]),
    ).toEqual([
      { setWeight: 10 },
      { pause: { durationSeconds: 300 } },
      { pause: {} },
      { analysis: { count: 5 } },
      { setWeight: 'ten' },
    ]);
  });
});

describe('locateField', () => {
  it('finds the row and the field an error names', () => {
    expect(locateField('steps[2].setWeight: must be an integer')).toEqual({
      message: 'steps[2].setWeight: must be an integer',
      step: 2,
      field: 'setWeight',
    });
    expect(locateField('steps[1].analysis.count: must be …')).toMatchObject({
      step: 1,
      field: 'count',
    });
    expect(locateField('steps: must set a weight at least once')).toEqual({
      message: 'steps: must set a weight at least once',
    });
  });
});

describe('checkPlanRequest', () => {
  it('names a weight out of range with the server’s own words', () => {
    expect(
      checkPlanRequest(
        {
          ...target,
          steps: draftSteps([
            newStep('setWeight', '10'),
            newStep('setWeight', '150'),
          ]),
          onFailure: 'rollback',
        },
        templates,
      ),
    ).toEqual({
      message: 'steps[1].setWeight: must be an integer from 0 to 100, got 150',
      step: 1,
      field: 'setWeight',
    });
  });

  it('passes a good custom plan and a template', () => {
    expect(
      checkPlanRequest(
        {
          ...target,
          steps: [{ setWeight: 50 }, { pause: {} }],
          onFailure: 'pause',
        },
        templates,
      ),
    ).toBeUndefined();
    expect(
      checkPlanRequest({ ...target, template: '10-25-50-100' }, templates),
    ).toBeUndefined();
  });
});
