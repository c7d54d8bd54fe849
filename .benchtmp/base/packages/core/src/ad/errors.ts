/**
 * Errors specific to user-defined derivative rules ({@link customJvp}, {@link customVjp}).
 * @module
 */
import { NatgradError, TracerEscapeError } from '../errors.js';

/** Which part of a custom function was running: `f` itself, the JVP rule, or the `fwd`/`bwd` halves of a VJP rule. */
export type CustomRole = 'f' | 'rule' | 'fwd' | 'bwd';

/**
 * A custom function or rule used a traced value it was not given as an argument (JAX's "closed-over value" error).
 * The rule only describes derivatives with respect to the function's arguments, so a derivative through a captured
 * tracer would be silently wrong, or the tracer would leak out of its transform. Pass the value as an argument.
 * It is a {@link TracerEscapeError}, with its own `code`.
 */
export class ClosedOverTracerError extends TracerEscapeError {
  override readonly code: string = 'CLOSED_OVER_TRACER';
  /** The custom function, as `customJvp(name)` or `customVjp(name)`. */
  readonly function: string;
  /** The part that captured the tracer. */
  readonly role: CustomRole;
  constructor(fn: string, role: CustomRole, detail: string) {
    super(
      `${fn}: ${describeRole(role)} ${detail}. A custom rule only differentiates with respect to the function's ` +
        'arguments: pass that value to the custom function as an argument (and give its tangent or cotangent in ' +
        'the rule) instead of capturing it.',
    );
    this.function = fn;
    this.role = role;
  }
}

/** A custom rule returned something of the wrong kind, structure or shape. */
export class CustomRuleError extends NatgradError {
  /** The custom function, as `customJvp(name)` or `customVjp(name)`. */
  readonly function: string;
  /** The rule (or half of one) at fault. */
  readonly role: CustomRole;
  constructor(fn: string, role: CustomRole, message: string) {
    super('BAD_CUSTOM_RULE', `${fn}: ${describeRole(role)} ${message}`);
    this.function = fn;
    this.role = role;
  }
}

/** Human-readable name of a role, e.g. for "the JVP rule returned …". */
export function describeRole(role: CustomRole): string {
  switch (role) {
    case 'f':
      return 'the function';
    case 'rule':
      return 'the JVP rule';
    case 'fwd':
      return 'the fwd rule';
    case 'bwd':
      return 'the bwd rule';
  }
}
