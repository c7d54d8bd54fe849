/** Short descriptions of arbitrary values for error messages. @module */

/**
 * What a value is, for "got …" in error messages: `string "0"`, `number NaN`, `undefined`, `array`, `object (Map)`.
 * Never calls user code (no `toString`, no getters) and never throws, whatever the value.
 */
export function describeValue(x: unknown): string {
  switch (typeof x) {
    case 'number':
      return `number ${Object.is(x, -0) ? '-0' : String(x)}`;
    case 'string':
      return `string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
    case 'boolean':
      return `boolean ${x}`;
    case 'bigint':
      return `bigint ${x}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'symbol';
    case 'function':
      return 'function';
    default: {
      if (x === null) return 'null';
      if (Array.isArray(x)) return 'array';
      try {
        const proto = Object.getPrototypeOf(x) as { constructor?: unknown } | null;
        if (proto === null) return 'object (null prototype)';
        const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as { name?: unknown } | undefined;
        const name = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
        return typeof name === 'string' && name !== 'Object' && name !== '' ? `object (${name})` : 'object';
      } catch {
        return 'object'; // a Proxy whose traps throw
      }
    }
  }
}

/** `[1, "a", symbol]`: an arbitrary list for messages, each element as {@link describeValue} would name it. */
export function formatList(list: readonly unknown[]): string {
  const shown = list.length > 16 ? list.slice(0, 16) : list;
  const items = Array.from(shown, (v) =>
    typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : typeof v === 'string' ? JSON.stringify(v) : describeValue(v),
  );
  return `[${items.join(', ')}${list.length > 16 ? ', …' : ''}]`;
}
