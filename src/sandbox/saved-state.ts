// The sandbox's Slack side and clock kept beside the database in the data directory, so that a
// restart resumes where it was: the database keeps its later state, and channels, DMs, Home tabs
// and the clock must not go back behind it. Written after each change (a little later, in one go)
// and on stop; never for an in-memory database.
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { WorkspaceSnapshot } from './slack-emulator.js';

export interface SavedSandbox {
  /** the sandbox clock when it was saved */
  clock: string;
  workspace: WorkspaceSnapshot;
}

const FILE = 'sandbox.json';
const WRITE_DELAY_MS = 200;

/** Where the sandbox is saved, or undefined when the database lives in memory. */
export function savedStatePath(dataDir: string): string | undefined {
  return dataDir === 'memory://' ? undefined : path.join(dataDir, FILE);
}

/** The saved sandbox, if there is one that can be read; a broken file is reported and ignored. */
export function loadSavedSandbox(file: string | undefined, logger: Logger): SavedSandbox | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedSandbox;
    if (saved.workspace?.version !== 1 || Number.isNaN(Date.parse(saved.clock)))
      throw new Error('not a saved sandbox');
    return saved;
  } catch (err) {
    logger.warn({ err, file }, 'the saved sandbox could not be read; starting a new one');
    return undefined;
  }
}

/** Saves the sandbox a moment after a change, one write at a time, each written whole. */
export class SandboxSaver {
  private timer: NodeJS.Timeout | undefined;
  private writing = Promise.resolve();

  constructor(
    private readonly file: string | undefined,
    private readonly read: () => SavedSandbox,
    private readonly logger: Logger,
  ) {}

  changed(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, WRITE_DELAY_MS);
  }

  /** Writes now (after any write under way); for stop and for the clock moving. */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    clearTimeout(this.timer);
    this.timer = undefined;
    const state = JSON.stringify(this.read());
    this.writing = this.writing.then(async () => {
      try {
        // A crash mid-write must leave the last whole file, never half of one.
        await writeFile(`${file}.tmp`, state);
        await rename(`${file}.tmp`, file);
      } catch (err) {
        this.logger.warn({ err, file }, 'the sandbox could not be saved');
      }
    });
    return this.writing;
  }
}
