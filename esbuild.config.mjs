// Builds the extension (cjs, `vscode` external), the `rft` CLI and the webview bundles into dist/.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;

/**
 * zod's namespace objects (`z`, `core`) keep all ~45 of its error-message locales (~300 KB minified) in every
 * bundle that validates; nothing here calls `z.config(z.locales.xx())`, so only English, zod's default, is kept.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`) ? { path: path.join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path) }));
  },
};

const node = {
  plugins: [zodEnglishOnly],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: { RFT_VERSION: JSON.stringify(version) },
  // jsonc-parser's UMD build loads its parts with dynamic require(); its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/** Every `webview/<page>/main.ts` is one page bundle, `dist/webview/<page>.js`. */
function webviewEntries() {
  if (!fs.existsSync('webview')) return {};
  const entries = {};
  for (const page of fs.readdirSync('webview')) {
    const main = path.join('webview', page, 'main.ts');
    if (fs.existsSync(main)) entries[page] = main;
  }
  return entries;
}

/** Every bundle's options; exported for test/unit/buildOutput.test.ts, which checks what each bundle holds. */
export const builds = [
  // The extension's activation (tree, diagnostics, status bar) and its step code, which it requires from beside
  // itself on the first use of a step's command or panel (src/extension/ctx.ts).
  { ...node, entryPoints: { extension: 'src/extension/extension.ts', steps: 'src/extension/steps.ts' }, outdir: 'dist', external: ['vscode'] },
  // The validation worker sits next to both bundles, which start it for large files.
  { ...node, entryPoints: { cli: 'src/cli/main.ts', validationWorker: 'src/core/validation/validationWorker.ts' }, outdir: 'dist' },
  // The script-grader sandboxes' worker (QuickJS and Pyodide's loader inside); `ws` is stubbed: no sockets from Python.
  { ...node, entryPoints: { graderWorker: 'src/core/grader/sandbox/graderWorker.ts' }, outdir: 'dist', alias: { ws: './src/core/grader/sandbox/wsDisabled.ts' } },
  // The o200k tokenizer (2.8 MB), once: extension, CLI and validation worker require it from beside themselves
  // on the first exact count (src/core/validation/tokens.ts).
  { ...node, entryPoints: { tokenizer: 'gpt-tokenizer/encoding/o200k_base' }, outdir: 'dist' },
];

const pages = webviewEntries();
if (Object.keys(pages).length > 0) {
  builds.push({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production, logLevel: 'info', entryPoints: pages, outdir: 'dist/webview' });
}

/** Pyodide's runtime files, loaded by the grader worker from dist/pyodide/ (the .vsix has no node_modules). */
const PYODIDE_FILES = ['pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync('dist/pyodide', { recursive: true });
  for (const file of PYODIDE_FILES) fs.copyFileSync(path.join('node_modules', 'pyodide', file), path.join('dist', 'pyodide', file));
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
  } else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
  }
}
