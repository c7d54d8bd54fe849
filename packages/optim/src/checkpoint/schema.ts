/** The zod schema of a checkpoint document (the state itself is checked against the rule's template, encode.ts). @module */
import { z } from 'zod';
import type { RuleDescription } from '../registry.js';
import type { JsonValue } from '../rule.js';

/** Checkpoint format identifier. */
export const FORMAT = 'natgrad-optimiser';
/** The checkpoint version this build writes and reads. */
export const VERSION = 1;

const finite = z.number().refine((v) => Number.isFinite(v), 'must be finite');

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), finite, z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

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

/** A checkpoint document. */
export const checkpointSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(VERSION),
    checksum: z.string().regex(/^[0-9a-f]{14}$/),
    step: z.number().int().nonnegative(),
    frozen: z.array(z.string()),
    params: z.record(z.string(), z.array(z.number().int().nonnegative())),
    rule: ruleDescription,
    state: z.unknown(),
  })
  .strict();

/** A parsed checkpoint document. */
export type CheckpointDocument = z.infer<typeof checkpointSchema>;
