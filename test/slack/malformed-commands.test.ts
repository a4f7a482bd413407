// Malformed `/engagement` commands are answered in the ack itself, with what was wrong and the
// usage line, and change nothing: over HTTP and over Socket Mode alike.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { readFileSync } from 'node:fs';
import { USAGE } from '../../src/slack/commands/parse.js';
import { PEOPLE, SLACK_MODES, TEAM_ID, useHarness } from '../support/app.js';

describe.each(SLACK_MODES)('malformed commands, over $name', ({ mode }) => {
  const harness = useHarness({ mode });

  it.each([
    ['frobnicate', "I don't know `frobnicate`.", 'Usage: /engagement new | list | load'],
    ['clsoe #3', "I don't know `clsoe`: did you mean `close`?", 'Usage: /engagement close #number [why]'],
    ['lad', "I don't know `lad`: did you mean `load` or `lead`?", 'Usage: /engagement new | list | load'],
    [
      'settings timezon UTC',
      'There is no setting `timezon`: did you mean `timezone`?',
      'Usage: /engagement settings',
    ],
    ['new please', '`new` takes nothing after it.', 'Usage: /engagement new'],
    [
      'away 2026-12-21',
      'Give the first and the last day away',
      'Usage: /engagement away @person YYYY-MM-DD YYYY-MM-DD',
    ],
    ['away @dana 2026-12-21 2026-12-22', "I can't find @dana", 'Usage: /engagement away'],
    [
      'away <@U0ANA|ana> 21/12/2026 22/12/2026',
      'Give the first and the last day away',
      'Usage: /engagement away',
    ],
    ['team', 'Say `add`, `remove` or `capacity`', 'Usage: /engagement team add|remove @person…'],
    ['team capacity <@U0ANA|ana>', 'Name one person and a number', 'Usage: /engagement team'],
    [
      'team capacity <@U0ANA|ana> -1',
      'a whole number from 0 (never proposed) to 10',
      'Usage: /engagement team',
    ],
    ['team capacity ana 2', 'is not a person', 'Usage: /engagement team'],
    ['team add', 'Name at least one person', 'Usage: /engagement team'],
    ['team add dana', '"dana" is not a person', 'Usage: /engagement team'],
    ['lead promote <@U0ANA|ana>', 'Say `add` or `remove`', 'Usage: /engagement lead'],
    ['reassign', 'Say which engagement, by its number', 'Usage: /engagement reassign #number [why]'],
    ['close acme', 'Say which engagement, by its number', 'Usage: /engagement close #number [why]'],
    ['back <@U0ANA|ana> <@U0BEN|ben>', 'Name one person.', 'Usage: /engagement back @person'],
  ])(
    '`/engagement %s` answers with what was wrong and the usage, in the ack',
    async (text, problem, usage) => {
      const h = harness.current;
      const reply = await h.command(PEOPLE.lead, text);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
      const answer = h.lastEphemeral(PEOPLE.lead);
      expect(answer).toContain(problem);
      expect(answer).toContain(usage);
      expect(answer).not.toMatch(/Error|at .*\.ts/);
      // Nothing happened: not even the team was created.
      expect(await listEvents(h.db, TEAM_ID)).toEqual([]);
    },
  );

  it('answers `help` and an empty command with the list of subcommands', async () => {
    const h = harness.current;
    await h.command(PEOPLE.ana, '');
    await h.command(PEOPLE.ana, 'help');
    for (const answer of h.ephemeralTexts(PEOPLE.ana)) {
      expect(answer).toContain('`/engagement new`');
      expect(answer).toContain('`/engagement reassign #number [why]`');
    }
  });

  it('lists every subcommand the bot answers, in `help` and in the README', async () => {
    const h = harness.current;
    await h.command(PEOPLE.ana, 'help');
    const help = h.lastEphemeral(PEOPLE.ana);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const subcommand of Object.keys(USAGE).filter((k) => k !== 'help')) {
      expect(help, subcommand).toContain(`\`/engagement ${subcommand}`);
      expect(readme, subcommand).toMatch(new RegExp(`\`(/engagement )?${subcommand}[ \`]`));
    }
  });
});
