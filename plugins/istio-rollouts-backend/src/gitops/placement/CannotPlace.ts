/**
 * Why a change cannot be placed with certainty. Thrown inside the placement and answered as
 * `{ placed: false, reason }` at its top: every check that could only guess stops here.
 */
export class CannotPlace extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CannotPlace';
  }
}

/** Throws a {@link CannotPlace}. */
export function cannotPlace(reason: string): never {
  throw new CannotPlace(reason);
}
