import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// No Docker engine runs where the tests run, so the image's structure is checked instead of built.
const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.reduce<{ name: string; base: string; steps: typeof instructions }[]>(
  (acc, step) => {
    if (step.keyword === 'FROM') {
      const [base = '', , name = `stage${acc.length}`] = step.args.split(/\s+/);
      acc.push({ name, base, steps: [] });
    } else acc.at(-1)?.steps.push(step);
    return acc;
  },
  [],
);
const runtime = stages.at(-1)!;
const ignored = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);

describe('the Dockerfile', () => {
  it('builds in one stage and runs in a slim Node 22 LTS stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(runtime.base).toMatch(/^node:22[-.\w]*slim$/);
  });

  it('runs as an unprivileged user', () => {
    const user = runtime.steps.filter((s) => s.keyword === 'USER').at(-1);
    expect(user?.args).toBeDefined();
    expect(['root', '0']).not.toContain(user!.args);
  });

  it('checks health on /healthz and exposes the default port', () => {
    expect(runtime.steps.find((s) => s.keyword === 'HEALTHCHECK')?.args).toMatch(/\/healthz/);
    expect(runtime.steps.find((s) => s.keyword === 'EXPOSE')?.args).toBe('3000');
  });

  it('starts the compiled entry point in exec form, so the process receives SIGTERM itself', () => {
    const cmd = runtime.steps.find((s) => s.keyword === 'CMD');
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv).toEqual(['node', 'dist/src/main.js']);
    expect(runtime.steps.some((s) => s.keyword === 'ENTRYPOINT')).toBe(false);
    // tsconfig.build.json compiles src/main.ts to dist/src/main.js.
    const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const copied = stages[0]!.steps
      .filter((s) => s.keyword === 'COPY' && !s.args.startsWith('--from'))
      .flatMap((s) =>
        s.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(copied.length).toBeGreaterThan(0);
    for (const path of copied) {
      expect(existsSync(path), `${path} exists`).toBe(true);
      expect(ignored, `${path} is not ignored`).not.toContain(path);
    }
  });

  it('builds with the same commands CI runs', () => {
    const runs = stages[0]!.steps
      .filter((s) => s.keyword === 'RUN')
      .map((s) => s.args)
      .join(' && ');
    const ci = readFileSync('.ci/run', 'utf8');
    expect(runs).toMatch(/npm ci\b/);
    expect(ci).toMatch(/^npm ci$/m);
    expect(runs).toMatch(/npm run build/);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.build).toBe('tsc -p tsconfig.build.json');
  });
});
