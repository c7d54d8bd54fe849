/**
 * The API reference cannot rot: runs TypeDoc in-process with the repository's typedoc.json (the configuration of
 * `pnpm run docs`: one entry point per package, validation of undocumented exports, broken `{@link}`s and symbols
 * referenced but not exported) and asserts that conversion and validation report no warning and no error.
 * Rendering the HTML is left to `pnpm run docs`; it adds nothing to the checks.
 */
import { fileURLToPath } from 'node:url';
import { Application, LogLevel, Logger, PackageJsonReader, TSConfigReader, TypeDocReader } from 'typedoc';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Keeps every message at warning level or above. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

it('typedoc: every export of the three packages is documented and every link resolves', async () => {
  const cwd = process.cwd();
  process.chdir(root); // typedoc.json and its tsconfig are resolved from the repository root, as in `pnpm run docs`
  try {
    // No ArgumentsReader: vitest's own argv must not be read as TypeDoc options.
    const app = await Application.bootstrapWithPlugins({ options: `${root}typedoc.json` }, [
      new TypeDocReader(),
      new PackageJsonReader(),
      new TSConfigReader(),
    ]);
    const logger = new CollectingLogger();
    logger.level = LogLevel.Warn;
    app.logger = logger;
    expect(app.options.getValue('treatWarningsAsErrors'), '`pnpm run docs` must fail on warnings').toBe(true);
    const validation = app.options.getValue('validation');
    expect(validation).toMatchObject({ notDocumented: true, invalidLink: true, notExported: true });
    expect(app.options.getValue('packagesRequiringDocumentation')).toEqual(
      expect.arrayContaining(['@natgrad/core', '@natgrad/distributions', '@natgrad/optim']),
    );

    const project = await app.convert();
    expect(project, `TypeDoc could not convert the project:\n${logger.messages.join('\n')}`).toBeDefined();
    app.validate(project!);
    expect(logger.messages, `TypeDoc reported problems (fix the TSDoc in packages/*/src):\n${logger.messages.join('\n')}`).toEqual([]);

    // One module per entry point, named as published, each with its package comment.
    const modules = project!.children?.map((c) => c.name).sort();
    expect(modules).toEqual(['@natgrad/core', '@natgrad/distributions', '@natgrad/optim', '@natgrad/optim/natural', '@natgrad/optim/parallel', '@natgrad/optim/progress', '@natgrad/optim/worker']);
    for (const m of project!.children ?? []) expect(m.hasComment(), `${m.name} has no package comment`).toBe(true);
  } finally {
    process.chdir(cwd);
  }
}, 120_000);
