// What requests read often and teams change rarely (the new-engagement form's facts: the person's
// standing, the team's calendar, its templates), kept per team in this process until Postgres says
// the team changed (team-changes.ts). Kept only while such word can arrive: with no connection
// listening, every read goes to the database, as it would without the cache.

export class TeamCache<V> {
  private readonly teams = new Map<string, Map<string, V>>();
  /** Moves on with every change heard: a read begun before a change never keeps what it read. */
  private generation = 0;
  private live = false;

  constructor(private readonly limits = { teams: 1_000, keysPerTeam: 500 }) {}

  /** The value kept for `key` of the team, or `load`'s, kept when nothing changed meanwhile. */
  async get(teamId: string, key: string, load: () => Promise<V>): Promise<V> {
    const team = this.teams.get(teamId);
    if (team?.has(key)) return team.get(key)!;
    const generation = this.generation;
    const value = await load();
    if (this.live && generation === this.generation) this.keep(teamId, key, value);
    return value;
  }

  /** The team changed: read it afresh. */
  forget(teamId: string): void {
    this.generation++;
    this.teams.delete(teamId);
  }

  /** Any team may have changed. */
  forgetAll(): void {
    this.generation++;
    this.teams.clear();
  }

  /** Whether changes can be heard. Either way, what was kept before may be stale. */
  setLive(live: boolean): void {
    this.live = live;
    this.forgetAll();
  }

  private keep(teamId: string, key: string, value: V): void {
    let team = this.teams.get(teamId);
    if (!team) {
      // The longest-kept team goes first; it is read again when next asked for.
      if (this.teams.size >= this.limits.teams) this.teams.delete(this.teams.keys().next().value!);
      team = new Map();
      this.teams.set(teamId, team);
    }
    if (team.size >= this.limits.keysPerTeam) team.clear();
    team.set(key, value);
  }
}
