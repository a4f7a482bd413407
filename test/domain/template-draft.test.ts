// Reading a plan template as a lead types it: one milestone per line, `<offset> <title>`.
import { describe, expect, it } from 'vitest';
import { STANDARD_PLAN } from '../../src/domain/plan.js';
import { MAX_STEPS, readTemplateDraft, stepsText } from '../../src/domain/template-draft.js';

const draft = (milestones: string, statusEvery = '5', name = 'Pilot') =>
  readTemplateDraft({ name, milestones, statusEvery });

describe('reading a typed template', () => {
  it('reads offsets and titles, one per line, with blank lines and separators allowed', () => {
    expect(draft('0 Kickoff\n\n3: Inputs received\n  9 | Go-live  ')).toEqual({
      ok: true,
      template: {
        name: 'Pilot',
        statusEvery: 5,
        steps: [
          { offset: 0, title: 'Kickoff' },
          { offset: 3, title: 'Inputs received' },
          { offset: 9, title: 'Go-live' },
        ],
      },
    });
  });

  it('gives back what it was shown: the editor opens with a template as text', () => {
    const read = draft(stepsText(STANDARD_PLAN.steps));
    expect(read.ok && read.template.steps).toEqual(STANDARD_PLAN.steps);
  });

  it.each([
    ['a negative offset', '0 Kickoff\n-2 Before it', /line 2: the offset -2 is negative/i],
    [
      'a non-integer offset',
      '0 Kickoff\n2.5 Inputs',
      /line 2: "2.5" is not a whole number of business days/i,
    ],
    ['a word for an offset', 'Kickoff with the client', /line 1: "Kickoff" is not a whole number/i],
    ['an empty title', '0 Kickoff\n4', /line 2: the milestone has no title/i],
    ['duplicate titles', '0 Kickoff\n3 kickoff', /line 2: "kickoff" is already the title of line 1/i],
    ['offsets going down', '5 Inputs\n3 Kickoff', /line 2: offsets must not go down \(3 after 5\)/i],
    ['no milestones at all', '  \n ', /add at least one milestone/i],
    ['an offset beyond a year', '0 Kickoff\n400 Much later', /more than a template allows/i],
  ])('refuses %s under the milestones field', (_, text, message) => {
    const read = draft(text);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems.milestones).toMatch(message);
  });

  it(`refuses more than ${MAX_STEPS} milestones, saying how many there are`, () => {
    const text = Array.from({ length: MAX_STEPS + 1 }, (_, i) => `${i} Step ${i}`).join('\n');
    const read = draft(text);
    expect(!read.ok && read.problems.milestones).toBe(
      `A template holds at most ${MAX_STEPS} milestones (this one has ${MAX_STEPS + 1}).`,
    );
  });

  it('names a few problems and counts the rest', () => {
    const read = draft('x A\ny B\nz C\nw D\nv E');
    expect(!read.ok && read.problems.milestones).toMatch(/\(and 2 more\)\.$/);
  });

  it('refuses a cadence that is not a whole number, and one that makes too many dated items', () => {
    expect(draft('0 Kickoff\n20 Close', 'weekly')).toMatchObject({
      ok: false,
      problems: { statusEvery: expect.stringMatching(/"weekly" is not a whole number/) },
    });
    expect(draft('0 Kickoff\n200 Close', '1')).toMatchObject({
      ok: false,
      problems: { statusEvery: expect.stringMatching(/makes 201 dated items; keep it to 60/) },
    });
    expect(draft('0 Kickoff\n20 Close', '')).toMatchObject({ ok: true, template: { statusEvery: 0 } });
  });

  it('needs a name', () => {
    expect(draft('0 Kickoff', '5', '  ')).toMatchObject({
      ok: false,
      problems: { name: 'Name the template.' },
    });
  });
});
