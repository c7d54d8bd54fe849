/**
 * Errors as plain data, so that one thrown in a worker can be reported on the other side of `postMessage` (where
 * the structured clone of an `Error` keeps neither its class nor its fields).
 * @module
 */

/** An error thrown in another thread, as plain data: what the receiving side knows about it. */
export interface RemoteError {
  /** The error's class name (`"TypeError"`, `"ShapeError"`, …). */
  readonly name: string;
  /** Its message. */
  readonly message: string;
  /** Its stack trace as the worker printed it, if it had one. */
  readonly stack?: string;
  /** Its `code`, for a `NatgradError` (or a Node system error). */
  readonly code?: string;
  /** Its `cause`, when that was an error too (at most a few levels deep). */
  readonly cause?: RemoteError;
}

const MAX_CAUSE_DEPTH = 4;
const MAX_TEXT = 16_384;

/** Describes any thrown value as a {@link RemoteError}. @internal */
export function toRemoteError(err: unknown, depth = 0): RemoteError {
  if (!(err instanceof Error)) return { name: 'Error', message: clip(`non-error value thrown: ${describe(err)}`) };
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return {
    name: clip(String(err.name)),
    message: clip(String(err.message)),
    ...(typeof err.stack === 'string' ? { stack: clip(err.stack) } : {}),
    ...(typeof code === 'string' ? { code: clip(code) } : {}),
    ...(cause !== undefined && depth < MAX_CAUSE_DEPTH ? { cause: toRemoteError(cause, depth + 1) } : {}),
  };
}

/**
 * Reads a {@link RemoteError} from a message (untrusted: anything that is not one becomes a generic description,
 * text is bounded). @internal
 */
export function readRemoteError(x: unknown, depth = 0): RemoteError {
  if (x === null || typeof x !== 'object') return { name: 'Error', message: 'unknown error (malformed report)' };
  const r = x as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? clip(v) : undefined);
  const stack = text(r.stack);
  const code = text(r.code);
  return {
    name: text(r.name) ?? 'Error',
    message: text(r.message) ?? '',
    ...(stack !== undefined ? { stack } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(r.cause !== undefined && depth < MAX_CAUSE_DEPTH ? { cause: readRemoteError(r.cause, depth + 1) } : {}),
  };
}

function describe(x: unknown): string {
  try {
    return typeof x === 'string' ? JSON.stringify(x) : String(x);
  } catch {
    return typeof x;
  }
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}
