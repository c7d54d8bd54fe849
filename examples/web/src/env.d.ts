/** The penguins data set, aliased in vite.config.ts to vega-datasets' data/penguins.json. */
declare module '@data/penguins.json' {
  const rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
  export default rows;
}
