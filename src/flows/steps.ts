// A use case as named steps, each with the undo that takes its effect back. When a step fails,
// the steps already done are undone in reverse order, so a failure anywhere leaves nothing
// half-done behind (no stock held, no payment open). An undo that itself fails is reported
// with the original error rather than hiding it.

export interface Step<C> {
  name: string;
  run(ctx: C): Promise<void>;
  undo?(ctx: C, error: unknown): Promise<void>;
}

export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly original: unknown,
    readonly undoErrors: { step: string; error: unknown }[],
  ) {
    super(`step ${step} failed: ${original instanceof Error ? original.message : String(original)}`);
    this.name = 'StepFailed';
  }
}

/**
 * Run `steps` in order over `ctx`. On failure, undo the completed steps in reverse and
 * rethrow: the step's own error when every undo succeeded (so a DomainError keeps its HTTP
 * meaning), a StepFailed when some undo failed too.
 */
export async function runSteps<C>(ctx: C, steps: Step<C>[], trace?: (step: string, phase: 'run' | 'undo') => void): Promise<C> {
  const done: Step<C>[] = [];
  for (const step of steps) {
    try {
      trace?.(step.name, 'run');
      await step.run(ctx);
      done.push(step);
    } catch (error) {
      const undoErrors: { step: string; error: unknown }[] = [];
      for (const prev of done.reverse()) {
        if (!prev.undo) continue;
        try {
          trace?.(prev.name, 'undo');
          await prev.undo(ctx, error);
        } catch (e) {
          undoErrors.push({ step: prev.name, error: e });
        }
      }
      if (undoErrors.length > 0) throw new StepFailed(step.name, error, undoErrors);
      throw error;
    }
  }
  return ctx;
}
