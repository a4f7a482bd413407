// `npm start`: Steward's TypeScript bundled into one JavaScript file that Node runs as it is.
//
// Running the sources through a TypeScript loader costs more CPU than everything else a start does
// (the loader resolves and transforms each of some 150 modules on a thread of its own), which a
// newcomer's first start pays in full. So the sources are bundled (esbuild; the packages stay
// outside, loaded from node_modules as usual) once, at `npm install` (the `prepare` script) and
// again whenever a source file is newer than the bundle, and every start after that loads one file.
//
//   node scripts/start.mjs           # build if stale, then start (npm start)
//   node scripts/start.mjs --build   # build if stale, and stop there (npm install's prepare)
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** What else makes a bundle stale: this script and the bundler's version. */
function buildKey() {
  const esbuildVersion = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8'),
  ).version;
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(esbuildVersion)
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
  mkdirSync(OUT_DIR, { recursive: true });
  // Written beside the bundle and renamed over it: a start running meanwhile reads a whole file.
  const temporary = `${BUNDLE}.${process.pid}.tmp`;
  const result = await bundle({
    entryPoints: [ENTRY],
    outfile: temporary,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  renameSync(temporary, BUNDLE);
  const inputs = Object.keys(result.metafile.inputs).map((file) => path.relative(ROOT, path.resolve(file)));
  writeFileSync(MANIFEST, JSON.stringify({ key, startedAt, migrations: migrationFiles(), inputs }));
}

const key = buildKey();
if (process.argv.includes('--build')) {
  // At install, a source that does not compile yet must not fail `npm install`: start says why.
  if (!isFresh(key))
    await build(key).catch((error) => console.warn(`steward: not bundled: ${error.message}`));
} else {
  if (!isFresh(key)) await build(key);
  // Stack traces name the TypeScript files and lines, as they would running the sources.
  process.setSourceMapsEnabled(true);
  const { main } = await import(pathToFileURL(BUNDLE).href);
  await main();
}
