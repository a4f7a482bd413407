import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
        done();
      },
    }),
  });
  return { logger, lines };
}

describe('the Bolt logger adapter', () => {
  it('writes Bolt lines through pino, with their component and our redaction', () => {
    const { logger, lines } = capture('info');
    const bolt = boltLogger(logger);
    bolt.info('token', 'xoxb-123-secret', { a: 1 });
    bolt.error(new Error('boom'), 'while dispatching');
    bolt.debug('too chatty');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ component: 'bolt', level: 30, msg: 'token xox?-[redacted] {"a":1}' });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'while dispatching', err: { message: 'boom' } });
  });

  it('keeps our level when Bolt asks for a chattier one', () => {
    const { logger } = capture('warn');
    const bolt = boltLogger(logger);
    bolt.setLevel(LogLevel.DEBUG);
    expect(bolt.getLevel()).toBe(LogLevel.WARN);
    bolt.setLevel(LogLevel.ERROR);
    expect(bolt.getLevel()).toBe(LogLevel.ERROR);
  });
});
