import { describe, expect, it } from 'vitest';
import { TeamCache } from '../../src/db/team-cache.js';

/** A load that counts its calls and answers with the count. */
function counting() {
  let calls = 0;
  return { load: async () => ++calls, calls: () => calls };
}

describe('what is kept of a team between requests', () => {
  it('is read once while changes can be heard, then served from memory', async () => {
    const cache = new TeamCache<number>();
    cache.setLive(true);
    const reads = counting();
    expect(await cache.get('T1', 'U1', reads.load)).toBe(1);
    expect(await cache.get('T1', 'U1', reads.load)).toBe(1);
    expect(await cache.get('T1', 'U2', reads.load)).toBe(2);
    expect(reads.calls()).toBe(2);
  });

  it('is read afresh after its team changes, and only its team', async () => {
    const cache = new TeamCache<string>();
    cache.setLive(true);
    await cache.get('T1', 'U1', async () => 'before');
    await cache.get('T2', 'U1', async () => 'other team');
    cache.forget('T1');
    expect(await cache.get('T1', 'U1', async () => 'after')).toBe('after');
    expect(await cache.get('T2', 'U1', async () => 'unread')).toBe('other team');
  });

  it('keeps nothing while changes cannot be heard, and nothing from before they could', async () => {
    const cache = new TeamCache<number>();
    const reads = counting();
    await cache.get('T1', 'U1', reads.load);
    await cache.get('T1', 'U1', reads.load);
    expect(reads.calls()).toBe(2);
    cache.setLive(true);
    await cache.get('T1', 'U1', reads.load);
    cache.setLive(false);
    await cache.get('T1', 'U1', reads.load);
    expect(reads.calls()).toBe(4);
  });

  it('never keeps a read that began before a change', async () => {
    const cache = new TeamCache<string>();
    cache.setLive(true);
    let finish!: (value: string) => void;
    const slow = cache.get('T1', 'U1', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.forget('T1');
    finish('stale');
    expect(await slow).toBe('stale');
    expect(await cache.get('T1', 'U1', async () => 'fresh')).toBe('fresh');
  });

  it('holds a bounded number of teams, the longest kept leaving first', async () => {
    const cache = new TeamCache<string>({ teams: 2, keysPerTeam: 10 });
    cache.setLive(true);
    for (const team of ['T1', 'T2', 'T3']) await cache.get(team, 'U1', async () => team);
    expect(await cache.get('T1', 'U1', async () => 'read again')).toBe('read again');
    expect(await cache.get('T3', 'U1', async () => 'unread')).toBe('T3');
  });
});
