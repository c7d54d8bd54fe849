/**
 * The zod schema of a checkpoint document (the state itself is checked against the rule's template, encode.ts; the
 * parameters of a whole-run checkpoint against the layout, run.ts). Built on first use, so that loading this module
 * does no work and an app that never reads a checkpoint never runs zod.
 * @module
 */
import { z } from 'zod';
import type { RuleDescription } from '../describe.js';
import type { JsonValue } from '../rule.js';

/** Format identifier of an optimiser checkpoint (`save`). */
export const FORMAT = 'natgrad-optimiser';
/** Format identifier of a whole-run checkpoint (`saveTrainState`). */
export const TRAIN_STATE_FORMAT = 'natgrad-train-state';
/** The checkpoint version this build writes (it reads 1 and 2). */
export const VERSION = 2;

/** The fields every checkpoint document has. */
export interface OptimiserDocument {
  readonly format: string;
  readonly version: number;
  readonly checksum: string;
  readonly step: number;
  readonly frozen: readonly string[];
  readonly params: Readonly<Record<string, readonly number[]>>;
  readonly rule: RuleDescription;
  readonly state: unknown;
  /** Whole-run checkpoints only: the rest of the `TrainState`. */
  readonly run?: unknown;
}

let schemas: { optimiser: z.ZodType; trainState: z.ZodType } | undefined;

/** The schema of an optimiser (versions 1 and 2) or whole-run (version 2) document, built once. */
export function checkpointSchema(trainState: boolean): z.ZodType {
  schemas ??= build();
  return trainState ? schemas.trainState : schemas.optimiser;
}

function build() {
  const finite = z.number().refine((v) => Number.isFinite(v), 'must be finite');
  const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), finite, z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));
  const ruleDescription: z.ZodType<RuleDescription> = z.lazy(() =>
    z
      .object({
        name: z.string().min(1),
        hyperparams: z.record(z.string(), finite),
        options: jsonValue.optional(),
        children: z.array(ruleDescription).optional(),
      })
      .strict(),
  );
  const fields = {
    version: z.union([z.literal(1), z.literal(VERSION)]),
    checksum: z.string().regex(/^[0-9a-f]{14}$/),
    step: z.number().int().nonnegative(),
    frozen: z.array(z.string()),
    params: z.record(z.string(), z.array(z.number().int().nonnegative())),
    rule: ruleDescription,
    state: z.unknown(),
  };
  return {
    optimiser: z.object({ format: z.literal(FORMAT), ...fields }).strict(),
    trainState: z.object({ format: z.literal(TRAIN_STATE_FORMAT), ...fields, version: z.literal(VERSION), run: z.unknown() }).strict(),
  };
}
