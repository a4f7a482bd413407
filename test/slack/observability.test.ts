import { describe, expect, it } from 'vitest';
import { mention, PEOPLE, SLACK_MODES, TEAM_ID, useHarness } from '../support/app.js';

describe.each(SLACK_MODES)('observability, over $name', ({ mode }) => {
  const harness = useHarness({ mode, metrics: true });

  it('serves Prometheus metrics: requests and ack latency by listener, engagements by status, the outbox', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)}`);
    await h.command(PEOPLE.lead, 'nonsense');
    const response = await fetch(`${h.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/steward_slack_requests_total\{listener="command \/engagement",outcome="ok"\} 2/);
    expect(text).toMatch(/steward_slack_ack_seconds_count\{listener="command \/engagement"\} 2/);
    expect(text).toMatch(/steward_engagements\{status="active"\} 0/);
    expect(text).toMatch(/steward_outbox_pending 0/);
    expect(text).toMatch(/steward_outbox_oldest_pending_seconds 0/);
  });

  it('logs every line of a request with its request id and the team id', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)}`);
    const requestLines = h.logs.filter((line) => line.requestId !== undefined);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines)
      expect(line).toMatchObject({ teamId: TEAM_ID, requestId: expect.any(String) });
  });
});
