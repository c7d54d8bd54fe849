// Bump allocator over the module's linear memory. The JavaScript side lays the operands of a call out from
// `heapBase()` and calls `reserve(end)`; kernels then take scratch (packed panels, transposed copies) above `end`
// and give it back with `release`. Memory grows on demand and is never shrunk, so a batch of calls of one size
// allocates once. The caller must refresh its views of `memory.buffer` after any call (growing detaches them).

let top: usize = 0;

/** First byte the JavaScript side may use for operands. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Makes sure [0, end) is addressable and starts the scratch stack at `end`. */
export function reserve(end: usize): void {
  top = (end + 15) & ~15;
  grow(top);
}

/** `bytes` of scratch, 16-byte aligned. */
export function alloc(bytes: usize): usize {
  const p = top;
  top = (top + bytes + 15) & ~15;
  grow(top);
  return p;
}

/** Frees every scratch block allocated since `mark` (a pointer returned by `alloc`). */
export function release(mark: usize): void {
  top = mark;
}

function grow(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end <= have) return;
  const pages = <i32>((end - have + 0xffff) >> 16);
  if (memory.grow(pages) < 0) unreachable();
}
