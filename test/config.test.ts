import { describe, expect, it } from 'vitest';
import { assertCanServe, ConfigError, loadConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

describe('configuration', () => {
  it('runs the local sandbox on the embedded database with no settings at all', () => {
    expect(loadConfig({})).toMatchObject({
      slack: { mode: 'sandbox' },
      databaseUrl: undefined,
      dataDir: './data',
      port: 3000,
      defaultTimeZone: 'UTC',
      defaultReminderTime: '09:00',
      logLevel: 'warn',
    });
  });

  it('logs at info by default when connected to Slack', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).logLevel).toBe('info');
  });

  it('chooses HTTP mode with a bot token and signing secret, Socket Mode with an app token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({
      mode: 'http',
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({
      mode: 'socket',
    });
  });

  it('names the variable in one line per problem, all at once', () => {
    const problems = problemsOf({
      DATABASE_URL: 'nonsense',
      PORT: 'eighty',
      TZ_DEFAULT: 'Mars/Base',
      REMINDER_TIME: '9am',
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^DATABASE_URL /);
    expect(problems.join('\n')).toMatch(/^PORT /m);
    expect(problems.join('\n')).toMatch(/^TZ_DEFAULT /m);
    expect(problems.join('\n')).toMatch(/^REMINDER_TIME /m);
  });

  it('never echoes a secret value', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'not-a-token-s3cr3t',
      DATABASE_URL: 'mysql://u:hunter2@db/x',
    });
    expect(problems.join('\n')).not.toMatch(/s3cr3t|hunter2/);
  });

  it('refuses to run the sandbox against a real database', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.example.com/steward' });
    expect(() => assertCanServe(config)).toThrow(
      /^SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET .* are required with DATABASE_URL/,
    );
    expect(() => assertCanServe(loadConfig({}))).not.toThrow();
  });

  it('asks for the missing half of the HTTP credentials', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
    ]);
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is required/),
    ]);
  });
});
