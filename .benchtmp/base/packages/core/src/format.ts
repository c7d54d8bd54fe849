/**
 * Readable text for tensors (`String(t)`, `console.log(t)` in Node): NumPy-style nested brackets, one row per line
 * for matrices, numbers in their shortest round-trip form (`-0`, `NaN` and `Infinity` spelled out), and large
 * tensors summarised with `...` (as `numpy.array2string` does above 1000 elements).
 * @module
 */
import { type Shape, formatShape, stridesOf } from './shape.js';

/** Above this many elements only the first and last {@link EDGE_ITEMS} along each axis are shown. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Indices printed along an axis of extent n; -1 marks the ellipsis. */
function printedIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

/** `Tensor([[1, 2],\n        [3, 4]])`; the shape is appended when the elements alone do not show it. */
export function formatTensor(data: Float64Array, shape: Shape, name = 'Tensor'): string {
  const prefix = `${name}(`;
  if (shape.length === 0) return `${prefix}${formatNumber(data[0])})`;
  const summarise = data.length > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);
  const nd = shape.length;
  const indices = shape.map((n) => printedIndices(n, summarise));

  // Right-align every printed number to a common width (columns line up in matrices).
  let width = 0;
  const measure = (axis: number, offset: number): void => {
    for (const i of indices[axis]) {
      if (i < 0) continue;
      if (axis === nd - 1) width = Math.max(width, formatNumber(data[offset + i]).length);
      else measure(axis + 1, offset + i * strides[axis]);
    }
  };
  measure(0, 0);

  const render = (axis: number, offset: number, indent: string): string => {
    const parts: string[] = [];
    for (const i of indices[axis]) {
      if (i < 0) parts.push('...');
      else if (axis === nd - 1) parts.push(nd > 1 ? formatNumber(data[offset + i]).padStart(width) : formatNumber(data[offset + i]));
      else parts.push(render(axis + 1, offset + i * strides[axis], `${indent} `));
    }
    // Rows of a matrix on their own lines; a blank line between matrices of a batch.
    const sep = axis === nd - 1 ? ', ' : `,${'\n'.repeat(nd - 1 - axis)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, ' '.repeat(prefix.length));
  const showShape = data.length === 0 || summarise;
  return `${prefix}${body}${showShape ? `, shape=${formatShape(shape)}` : ''})`;
}
