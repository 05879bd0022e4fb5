import { InputError } from '@backstage/errors';

/**
 * A request the planner refuses, naming the field at fault and why: `weights.v4: not a destination of route
 * http[0] "reviews-route"`.
 *
 * Its `name` stays `InputError`, so Backstage's error middleware answers it with 400.
 *
 * @public
 */
export class ActionValidationError extends InputError {
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}
