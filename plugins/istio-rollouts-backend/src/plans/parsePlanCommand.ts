import {
  ActionValidationError,
  PlanCommandRequest,
  StepPlanCommandName,
} from '@internal/plugin-istio-rollouts-common';

const COMMANDS: StepPlanCommandName[] = [
  'next',
  'skipToEnd',
  'pause',
  'resume',
  'abort',
];

/** Reads a command's body; a field-named 400 for anything else. `resume` and `abort` need the version seen. */
export function parsePlanCommand(body: unknown): PlanCommandRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const command = b.command as StepPlanCommandName;
  if (!COMMANDS.includes(command)) {
    throw new ActionValidationError(
      'command',
      `must be one of ${COMMANDS.join(', ')}, got ${JSON.stringify(
        b.command ?? null,
      )}`,
    );
  }
  const { resourceVersion, reason } = b;
  if (resourceVersion !== undefined && typeof resourceVersion !== 'string') {
    throw new ActionValidationError('resourceVersion', 'must be a string');
  }
  if ((command === 'resume' || command === 'abort') && !resourceVersion) {
    throw new ActionValidationError(
      'resourceVersion',
      `is required for ${command}: the VirtualService's resourceVersion you saw, which the plan takes as its own`,
    );
  }
  if (reason !== undefined && typeof reason !== 'string') {
    throw new ActionValidationError('reason', 'must be text');
  }
  return {
    command,
    ...(resourceVersion !== undefined && { resourceVersion }),
    ...(reason !== undefined && { reason }),
  };
}
