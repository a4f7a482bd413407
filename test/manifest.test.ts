// manifest.yml creates the app as it is: the commands and events the code registers, and exactly the
// bot scopes the Web API calls in the code need (src/slack/surface.ts says which scope each needs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BOT_EVENTS,
  FEATURE_SCOPES,
  METHOD_SCOPES,
  scopesFor,
  SLASH_COMMANDS,
} from '../src/slack/surface.js';

interface Manifest {
  display_information: { name: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; should_escape: boolean; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// The emulator plays Slack's side; it is not part of the app Slack installs.
const appSources = sourceFiles('src').filter((path) => !path.startsWith(join('src', 'sandbox')));

const FAMILIES = [
  'auth',
  'users',
  'chat',
  'conversations',
  'views',
  'team',
  'bots',
  'reactions',
  'pins',
  'files',
  'usergroups',
  'apps',
];
const CALL = new RegExp(`\\.(${FAMILIES.join('|')})\\s*\\.\\s*([a-zA-Z]+)\\s*\\(`, 'g');
const API_CALL = /apiCall\(\s*['"]([\w.]+)['"]/g;

/** Every Web API method the app's code calls, by reading it: `client.chat.postMessage(`… */
function methodsCalled(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const path of appSources) {
    const text = readFileSync(path, 'utf8');
    const add = (method: string) => found.set(method, [...(found.get(method) ?? []), path]);
    for (const [, family, method] of text.matchAll(CALL)) add(`${family}.${method}`);
    for (const [, method] of text.matchAll(API_CALL)) add(method!);
  }
  return found;
}

describe('manifest.yml', () => {
  it('registers the slash commands the app listens to, with escaped users, at the events URL', () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command).sort()).toEqual([...SLASH_COMMANDS].sort());
    for (const command of commands) {
      expect(command.should_escape).toBe(true);
      expect(new URL(command.url).pathname).toBe('/slack/events');
    }
  });

  it('lists in surface.ts the events the listeners register', () => {
    const registered = new Set<string>();
    for (const path of appSources.filter((p) => p.startsWith(join('src', 'slack')))) {
      for (const [, event] of readFileSync(path, 'utf8').matchAll(/\.event\(\s*['"](\w+)['"]/g))
        registered.add(event!);
    }
    expect([...registered].sort()).toEqual([...BOT_EVENTS].sort());
  });

  it('subscribes to exactly the bot events the app listens to', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
    expect(manifest.settings.event_subscriptions.user_events ?? []).toEqual([]);
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
  });

  it('turns on interactivity and the App Home tab', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('knows the scopes of every Web API method the code calls', () => {
    const unknown = [...methodsCalled()].filter(([method]) => !(method in METHOD_SCOPES));
    expect(unknown, 'add these to METHOD_SCOPES in src/slack/surface.ts').toEqual([]);
  });

  it('asks for exactly the bot scopes those calls and the slash command need, and no user scopes', () => {
    const needed = scopesFor(methodsCalled().keys());
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(needed);
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('finds the calls it reasons about (the scan is not vacuous)', () => {
    const called = [...methodsCalled().keys()];
    for (const method of [
      'auth.test',
      'users.info',
      'chat.postMessage',
      'chat.update',
      'conversations.open',
      'views.open',
      'views.publish',
    ]) {
      expect(called).toContain(method);
    }
    expect(Object.keys(FEATURE_SCOPES)).toEqual(['commands']);
  });
});
