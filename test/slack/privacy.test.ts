import { describe, expect, it } from 'vitest';
import { PEOPLE, setUpTeam, startEngagement, textOf, useHarness } from '../support/app.js';

const harness = useHarness();

describe("the team's internal view", () => {
  it('is not shown to someone outside the team (a guest from the client, say)', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    for (const command of ['list', 'load']) {
      await h.command(PEOPLE.outsider, command);
      expect(h.lastEphemeral(PEOPLE.outsider)).toBe(
        "That is for the team's members and leads; a lead can add you with `/engagement team add`.",
      );
    }
    const home = await h.openHome(PEOPLE.outsider);
    expect(textOf(home as never)).not.toMatch(/Ana Alves|0\/2|Who is next/);
  });
});
