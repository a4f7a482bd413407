import { describe, expect, it } from 'vitest';
import { editDistance } from '../../../src/slack/commands/did-you-mean.js';
import { parseCommand, parseMention } from '../../../src/slack/commands/parse.js';

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['  HELP ', { kind: 'help' }],
    ['new', { kind: 'new' }],
    ['List', { kind: 'list' }],
    ['load', { kind: 'load' }],
    [
      'away <@U1|ana> 2026-12-21 2026-12-31',
      { kind: 'away', who: { userId: 'U1', label: 'ana' }, startsOn: '2026-12-21', endsOn: '2026-12-31' },
    ],
    ['away 2026-12-21 2026-12-31', { kind: 'away', who: null, startsOn: '2026-12-21', endsOn: '2026-12-31' }],
    ['back', { kind: 'back', who: null }],
    ['back <@W9>', { kind: 'back', who: { userId: 'W9', label: null } }],
    [
      'team add <@U1|ana> <@U2|ben>,<@U3|cat>',
      {
        kind: 'team',
        op: 'add',
        people: [
          { userId: 'U1', label: 'ana' },
          { userId: 'U2', label: 'ben' },
          { userId: 'U3', label: 'cat' },
        ],
      },
    ],
    ['lead remove <@U1|ana>', { kind: 'lead', op: 'remove', people: [{ userId: 'U1', label: 'ana' }] }],
    ['reassign #3', { kind: 'reassign', number: 3, reason: null }],
    ['reassign 3 Ana   is on leave', { kind: 'reassign', number: 3, reason: 'Ana is on leave' }],
    ['close #12 client cancelled', { kind: 'close', number: 12, reason: 'client cancelled' }],
  ])('reads `%s`', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['frob', /I don't know `frob`\.$/, /^Usage: \/engagement new \| list/],
    ['clsoe #3', /I don't know `clsoe`: did you mean `close`\?$/, /^Usage: \/engagement close #number/],
    ['lsit', /did you mean `list`\?$/, /^Usage: \/engagement list$/],
    ['reasign #3', /did you mean `reassign`\?$/, /^Usage: \/engagement reassign/],
    ['setings', /did you mean `settings`\?$/, /^Usage: \/engagement settings/],
    ['lad', /did you mean `load` or `lead`\?$/, /^Usage: \/engagement new \| list/],
    [
      'team ad <@U1|ana>',
      /Say `add`, `remove` or `capacity`, then the people: did you mean `add`\?$/,
      /team add\|remove/,
    ],
    ['settings remindres 10:00', /no setting `remindres`: did you mean `reminders`\?$/, /settings/],
    ['settings colour', /There is no setting `colour`\.$/, /settings/],
    ['list everything', /takes nothing after it/, /^Usage: \/engagement list$/],
    ['away <@U1|ana> 2026-12-21', /first and the last day/, /away @person/],
    ['away @ana 2026-12-21 2026-12-22', /I can't find @ana/, /away @person/],
    ['away <@U1|ana> tomorrow friday', /first and the last day/, /away @person/],
    ['back ana', /"ana" is not a person/, /back @person/],
    ['team', /Say `add`, `remove` or `capacity`/, /team add\|remove/],
    ['team add', /Name at least one person/, /team add\|remove/],
    ['team add <@U1|ana> @ben', /I can't find @ben/, /team add\|remove/],
    ['lead add <!channel>', /is not a person/, /lead add\|remove/],
    ['reassign', /by its number/, /reassign #number/],
    ['close #three', /by its number/, /close #number/],
  ])('explains what is wrong with `%s`, with the usage', (text, problem, usage) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('malformed');
    if (parsed.kind !== 'malformed') return;
    expect(parsed.problem).toMatch(problem);
    expect(parsed.usage).toMatch(usage);
  });

  it('never echoes more than a short piece of an unknown subcommand', () => {
    const parsed = parseCommand('x'.repeat(5000));
    expect(parsed.kind === 'malformed' && parsed.problem.length).toBeLessThan(100);
  });
});

describe('editDistance', () => {
  it.each([
    ['close', 'close', 0],
    ['clsoe', 'close', 1],
    ['clos', 'close', 1],
    ['cloose', 'close', 1],
    ['clise', 'close', 1],
    ['cls', 'close', 2],
    ['lcsoe', 'close', 2],
    ['frob', 'new', 4],
    ['', 'new', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('parseMention', () => {
  it.each([
    ['<@U123ABC|dana>', { userId: 'U123ABC', label: 'dana' }],
    ['<@U123ABC>', { userId: 'U123ABC', label: null }],
    ['<@U123ABC|>', { userId: 'U123ABC', label: null }],
    ['@dana', null],
    ['<#C123|general>', null],
    ['<!here>', null],
  ])('%s', (token, expected) => {
    expect(parseMention(token)).toEqual(expected);
  });
});
