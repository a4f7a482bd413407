import { describe, expect, it } from 'vitest';
import { listEngagements } from '../../src/db/engagements.js';
import { CHANNELS, PEOPLE, setUpTeam, startEngagement, TEAM_ID, useHarness } from '../support/app.js';

const harness = useHarness();

describe('/engagement settings', () => {
  it("shows the team's settings to anyone, and lets a lead change each of them", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'settings');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('• Time zone: UTC');

    await h.command(PEOPLE.lead, 'settings timezone Europe/Berlin');
    await h.command(PEOPLE.lead, 'settings reminders 08:30');
    await h.command(PEOPLE.lead, 'settings holidays de-be 2026-12-24 2026-12-31');
    await h.command(PEOPLE.lead, 'settings lead-time 3');
    await h.command(PEOPLE.lead, 'settings rotation-channel', CHANNELS.gamma);
    const shown = h.lastEphemeral(PEOPLE.lead);
    expect(shown).toContain('Saved.');
    expect(shown).toContain('• Time zone: Europe/Berlin');
    expect(shown).toContain('• Reminders: 08:30 on business days');
    expect(shown).toContain("• Holidays: DE-BE public holidays and 2 day(s) of the team's own");
    expect(shown).toContain(`• Rotation channel: <#${CHANNELS.gamma}>`);
    expect(shown).toContain('re-proposed 3 business days before the start');
  });

  it('refuses members and bad values, changing nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'settings timezone Europe/Berlin');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe("Only a lead can change the team's settings.");
    await h.command(PEOPLE.lead, 'settings timezone Mars/Olympus');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/is not a time zone/);
    await h.command(PEOPLE.lead, 'settings holidays XX-NOWHERE');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/is not a holiday region/);
    await h.command(PEOPLE.lead, 'settings reminders 9am');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/HH:MM/);
    // A value typed wrong comes with the usage line; a refusal of the person does not.
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/\nUsage: \/engagement settings \[timezone/);
    await h.command(PEOPLE.lead, 'settings holidays none 2026-13-40');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/^Holidays are dates written YYYY-MM-DD\.\nUsage: /);
    await h.command(PEOPLE.ana, 'settings reminders 08:00');
    expect(h.lastEphemeral(PEOPLE.ana)).not.toContain('Usage:');
    await h.command(PEOPLE.lead, 'settings colour blue');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/There is no setting `colour`/);
    await h.command(PEOPLE.ana, 'settings');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('• Time zone: UTC');
  });

  it("never makes a client's engagement channel the rotation channel", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme });
    await h.command(PEOPLE.lead, 'settings rotation-channel', CHANNELS.acme);
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/the rotation channel must be an internal one/);
  });
});

describe('the rotation channel', () => {
  it('is never a channel shared with people outside the organisation', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme });
    await h.command(PEOPLE.lead, 'settings rotation-channel', CHANNELS.acmeClient);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `<#${CHANNELS.acmeClient}> is shared with people outside the organisation (Slack Connect): proposals, skip reasons and time away go to the rotation channel, so it must be an internal one. Nothing was changed; run this in the team's own channel.`,
    );
    await h.command(PEOPLE.lead, 'settings');
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(`• Rotation channel: <#${CHANNELS.rotation}>`);
    const [engagement] = await listEngagements(h.db, TEAM_ID);
    expect(engagement?.rotation_channel_id).toBe(CHANNELS.rotation);
  });
});
