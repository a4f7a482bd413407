import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), output: () => lines.join('') };
}

describe('the logger', () => {
  it('redacts tokens, signing secrets and database passwords wherever they appear', () => {
    const { logger, output } = capture();
    logger.info(
      { botToken: 'xoxb-111-secret', config: { signingSecret: 'sign-me' } },
      'starting with xoxb-222-secret',
    );
    logger.error({ err: new Error('connect postgres://steward:hunter2@db:5432/steward failed') }, 'db down');
    logger.info({ url: 'postgresql://u:p4ss@host/db', nested: { deeper: { note: 'xapp-1-abc' } } }, 'urls');
    const text = output();
    for (const secret of ['111-secret', '222-secret', 'sign-me', 'hunter2', 'p4ss', 'xapp-1-abc'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it("scrubs a copy, never the caller's own object", () => {
    const { logger, output } = capture();
    const fields = { channel: 'C1', nested: { list: ['plain', 'token xoxb-5-5'] } };
    logger.info(fields, 'posted');
    expect(JSON.parse(output().trim())).toMatchObject({
      channel: 'C1',
      nested: { list: ['plain', 'token xox?-[redacted]'] },
    });
    expect(fields.nested.list[1]).toBe('token xoxb-5-5');
  });

  it('keeps the type of a logged error', () => {
    const { logger, output } = capture();
    logger.error({ err: new TypeError('bad token xoxb-9-9') }, 'failed');
    expect(JSON.parse(output().trim())).toMatchObject({
      err: { type: 'TypeError', message: 'bad token xox?-[redacted]' },
    });
  });

  it('writes JSON lines', () => {
    const { logger, output } = capture();
    logger.info({ teamId: 'T1' }, 'hello');
    expect(JSON.parse(output().trim())).toMatchObject({ msg: 'hello', teamId: 'T1', level: 30 });
  });
});
