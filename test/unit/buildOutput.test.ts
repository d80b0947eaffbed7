// What each Node-side bundle of esbuild.config.mjs holds, from esbuild's metafile: the real config is bundled here,
// in memory (nothing is written to dist/), so a bundle that starts carrying what it never runs fails this test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');

interface Bundle {
  /** The inputs (repository-relative paths, node_modules included) that put bytes into the bundle. */
  readonly inputs: readonly string[];
  readonly text: string;
}

/** Every Node-side output of the config, by file name (`extension.js`, …), bundled in memory. */
async function bundleAll(): Promise<Map<string, Bundle>> {
  const config = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as { builds: esbuild.BuildOptions[] };
  const nodeBuilds = config.builds.filter((build) => build.platform === 'node');
  const results = await Promise.all(nodeBuilds.map((options) => esbuild.build({ ...options, absWorkingDir: ROOT, write: false, metafile: true, minify: false, sourcemap: false, logLevel: 'silent' })));
  const bundles = new Map<string, Bundle>();
  for (const result of results) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      const inputs = Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([input]) => input);
      const text = result.outputFiles.find((out) => out.path === path.join(ROOT, file))?.text ?? '';
      bundles.set(path.basename(file), { inputs, text });
    }
  }
  return bundles;
}

const fromPackage = (name: string) => (input: string) => input.includes(`node_modules/${name}/`);
const fromFolder = (folder: string) => (input: string) => input.startsWith(`${folder}/`);

describe('build output (esbuild.config.mjs)', function () {
  this.timeout(60_000);
  let bundles: Map<string, Bundle>;

  before(async () => {
    bundles = await bundleAll();
  });

  function holders(matches: (input: string) => boolean): string[] {
    return [...bundles]
      .filter(([, bundle]) => bundle.inputs.some(matches))
      .map(([name]) => name)
      .sort();
  }

  it('builds the four Node-side bundles and the tokenizer', () => {
    for (const name of ['extension.js', 'cli.js', 'validationWorker.js', 'graderWorker.js', 'tokenizer.js']) assert.ok(bundles.has(name), `${name} is missing from ${[...bundles.keys()].join(', ')}`);
  });

  it('ships the o200k tokenizer once, in tokenizer.js, which the bundles that count tokens require from beside themselves', () => {
    assert.deepEqual(holders(fromPackage('gpt-tokenizer')), ['tokenizer.js']);
    for (const name of ['extension.js', 'cli.js', 'validationWorker.js']) assert.match(bundles.get(name)!.text, /['"]tokenizer\.js['"]/, `${name} never looks for tokenizer.js`);
  });

  it('keeps each bundle to what it runs', () => {
    assert.deepEqual(holders(fromFolder('src/cli')), ['cli.js']);
    const extensionCode = holders(fromFolder('src/extension'));
    assert.ok(extensionCode.includes('extension.js'));
    for (const name of ['cli.js', 'validationWorker.js', 'graderWorker.js', 'tokenizer.js']) assert.ok(!extensionCode.includes(name), `${name} carries src/extension`);
    for (const worker of ['validationWorker.js', 'graderWorker.js']) {
      const inputs = bundles.get(worker)!.inputs;
      for (const pkg of ['openai', 'zod', 'yaml']) assert.ok(!inputs.some(fromPackage(pkg)), `${worker} carries ${pkg}`);
    }
    assert.deepEqual(holders(fromPackage('@jitl/quickjs-singlefile-cjs-release-sync')), ['graderWorker.js']);
  });

  it('lets every Node-side bundle into the .vsix (.vscodeignore), which has no node_modules to fall back on', () => {
    const allowed = fs
      .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const name of bundles.keys()) assert.ok(allowed.includes(`!dist/${name}`), `.vscodeignore leaves dist/${name} out`);
  });

  it("keeps only zod's English locale", () => {
    const locales = new Set([...bundles.values()].flatMap((bundle) => bundle.inputs.filter((input) => input.includes('node_modules/zod/v4/locales/')).map((input) => path.basename(input))));
    assert.deepEqual([...locales], ['en.js']);
  });
});
