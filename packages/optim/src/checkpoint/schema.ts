/**
 * The zod schema of a checkpoint document (the state itself is checked against the rule's template, encode.ts; the
 * parameters of a whole-run checkpoint against the layout, train-state.ts). Built on first use, so that loading this
 * module does no work and an app that never reads a checkpoint never runs zod.
 * @module
 */
// zod/mini (functional checks, tree-shakable: 25 KB minified with the English messages, against 450 KB for
// classic zod) — this module is the only one that imports zod, and only the checkpoint path imports it.
import { en } from 'zod/locales';
import * as z from 'zod/mini';
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

type Schema = z.ZodMiniType<unknown>;
let schemas: { optimiser: Schema; trainState: Schema } | undefined;
let english: { error: NonNullable<ReturnType<typeof en>['localeError']> } | undefined;

/** The schema of an optimiser (versions 1 and 2) or whole-run (version 2) document, built once. */
export function checkpointSchema(trainState: boolean): Schema {
  schemas ??= build();
  return trainState ? schemas.trainState : schemas.optimiser;
}

/**
 * Parse options giving zod's English messages ("expected number, received string"), per parse: zod/mini has no
 * locale of its own, and setting one globally (`z.config`) would override an app's choice.
 */
export function englishMessages(): { readonly error: NonNullable<ReturnType<typeof en>['localeError']> } {
  english ??= { error: en().localeError! };
  return english;
}

function build() {
  const finite = z.number().check(z.refine((v) => Number.isFinite(v), 'must be finite'));
  const count = z.int().check(z.gte(0));
  const jsonValue: z.ZodMiniType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), finite, z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));
  const ruleDescription: z.ZodMiniType<RuleDescription> = z.lazy(() =>
    z.strictObject({
      name: z.string().check(z.minLength(1)),
      hyperparams: z.record(z.string(), finite),
      options: z.optional(jsonValue),
      children: z.optional(z.array(ruleDescription)),
    }),
  );
  const fields = {
    version: z.union([z.literal(1), z.literal(VERSION)]),
    checksum: z.string().check(z.regex(/^[0-9a-f]{14}$/)),
    step: count,
    frozen: z.array(z.string()),
    params: z.record(z.string(), z.array(count)),
    rule: ruleDescription,
    state: z.unknown(),
  };
  return {
    optimiser: z.strictObject({ format: z.literal(FORMAT), ...fields }) as Schema,
    trainState: z.strictObject({ format: z.literal(TRAIN_STATE_FORMAT), ...fields, version: z.literal(VERSION), run: z.unknown() }) as Schema,
  };
}
