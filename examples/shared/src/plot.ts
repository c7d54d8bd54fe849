/**
 * Plots in Node without a canvas: vega-lite → vega spec → SVG (vega's headless `View`, renderer 'none') → PNG
 * (@resvg/resvg-js, a Rust SVG renderer shipped as a prebuilt binary: no native build, no node-canvas).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';

export type { TopLevelSpec };

/** Options of {@link renderPng}. */
export interface RenderOptions {
  /** Pixel density: 2 (default) renders at twice the spec's size, crisp on high-DPI screens and in READMEs. */
  readonly scale?: number;
}

/** Renders a vega-lite spec to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vgSpec } = compile(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a vega-lite spec to a PNG file (creating its folder); returns the PNG's bytes. */
export async function renderPng(spec: TopLevelSpec, path: string, options: RenderOptions = {}): Promise<Buffer> {
  const svg = await renderSvg({ background: 'white', ...spec } as TopLevelSpec);
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    // vega asks for "sans-serif"; map it to a font that is there (Debian: DejaVu, Liberation).
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return png;
}

/** True when `bytes` start with the 8-byte PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length > 8 && sig.every((b, i) => bytes[i] === b);
}
