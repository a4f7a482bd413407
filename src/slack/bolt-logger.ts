// Bolt and the Web API client log through @slack/logger's interface; this routes them into pino,
// so their lines carry our redaction and our level.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const TO_PINO: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

const FROM_PINO: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** A Bolt-shaped logger writing to a pino child named `component`. */
export function boltLogger(logger: Logger, component = 'bolt'): SlackLogger {
  let child = logger.child({ component });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      // Bolt and the Web API client log at debug several times a request; below our level, skip
      // the formatting too.
      if (!child.isLevelEnabled(level)) return;
      const error = msg.find((m): m is Error => m instanceof Error);
      const text = msg
        .filter((m) => m !== error)
        .map((m) => (typeof m === 'string' ? m : safeJson(m)))
        .join(' ');
      if (error) child[level]({ err: error }, text || error.message);
      else child[level](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // Bolt sets its level from its own options; ours comes from LOG_LEVEL, so only ever narrow it.
    setLevel(level: LogLevel) {
      const wanted = TO_PINO[level];
      if (child.levels.values[wanted]! > child.levels.values[child.level]!) child.level = wanted;
    },
    getLevel: () => FROM_PINO[child.level] ?? LogLevel.INFO,
    setName(name: string) {
      child = logger.child({ component: name });
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
