// `npm run bench`: every benchmark, one after another on this machine, one line per figure with
// the ratio (to the target or to the baseline) first.
import os from 'node:os';
import type { Figure } from './support.js';

const suites: { name: string; load: () => Promise<{ bench: () => Promise<Figure[]> }> }[] = [
  { name: 'proposal', load: () => import('./proposal.js') },
  { name: 'report', load: () => import('./report.js') },
  { name: 'reminder-sweep', load: () => import('./reminder-sweep.js') },
  { name: 'ack-latency', load: () => import('./ack-latency.js') },
  { name: 'memory', load: () => import('./memory.js') },
  { name: 'first-start', load: () => import('./first-start.js') },
  { name: 'reminders-at-scale', load: () => import('./reminders-at-scale.js') },
  { name: 'growth', load: () => import('./growth.js') },
];

const only = process.argv.slice(2);
console.log(
  `# steward benchmarks, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores`,
);
let failed = false;
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  try {
    const { bench } = await suite.load();
    for (const f of await bench())
      console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  } catch (error) {
    failed = true;
    console.log(`  FAIL  ${suite.name}: ${(error as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
