// Postgres says when a team's settings, people or plan templates change (a trigger's NOTIFY on
// `steward_team_changed`, see the migration that adds it), so that what a replica keeps of a team in
// memory never outlives a change, whichever replica or person made it.
//
// One connection of its own LISTENs; when it drops, what was kept can no longer be trusted, so the
// handlers hear `lost` at once and `listening` once it is back (after a growing pause). A connection
// can also die without a word (a NAT forgetting it, a failover leaving it half-open): TCP keepalive
// and a regular heartbeat query find that out, and end it like any other drop.
import pg from 'pg';
import type { Logger } from '../logger.js';

export const TEAM_CHANGED = 'steward_team_changed';
/** The payload that stands for every team (a TRUNCATE of one of the tables). */
export const EVERY_TEAM = '*';

export interface TeamChangeHandlers {
  /** A committed change to the team's rows; `EVERY_TEAM` when it may have touched any team. */
  changed(teamId: string): void;
  /** Listening (again): anything kept from before may be stale. */
  listening(): void;
  /** No longer listening: keep nothing until `listening`. */
  lost(): void;
}

export interface TeamChangeListener {
  stop(): Promise<void>;
}

export interface ListenOptions {
  /** The pause before reconnecting: doubles from `first` up to `longest`. */
  readonly retryMs?: { readonly first: number; readonly longest: number };
  /** How often the connection proves it is alive, and how long it may take to answer. */
  readonly heartbeatMs?: { readonly every: number; readonly within: number };
}

export function listenForTeamChanges(
  url: string,
  handlers: TeamChangeHandlers,
  logger: Logger,
  {
    retryMs = { first: 500, longest: 30_000 },
    heartbeatMs = { every: 30_000, within: 5_000 },
  }: ListenOptions = {},
): TeamChangeListener {
  let stopped = false;
  let client: pg.Client | undefined;
  let wake: (() => void) | undefined;

  /** One connection's life: resolves when it ends, for whatever reason. */
  const session = async () => {
    const connection = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = connection;
    const ended = new Promise<void>((resolve) => {
      connection.once('end', resolve);
      // Without a listener, an error on an idle client would end the process.
      connection.on('error', (error) => {
        if (!stopped) logger.warn({ err: error }, 'lost the connection that hears team changes');
        resolve();
      });
    });
    connection.on('notification', ({ channel, payload }) => {
      if (channel === TEAM_CHANGED && payload) handlers.changed(payload);
    });
    // Once ended, pg settles neither way a connect still under way: stop() must not wait on it.
    const connecting = connection.connect();
    connecting.catch(() => {});
    await Promise.race([connecting, ended]);
    if (stopped) return;
    await connection.query(`listen ${TEAM_CHANGED}`);
    if (stopped) return;
    handlers.listening();
    const heartbeat = setInterval(() => {
      const timeout = setTimeout(() => void connection.end().catch(() => {}), heartbeatMs.within);
      connection
        .query('select 1')
        .catch(() => connection.end().catch(() => {}))
        .finally(() => clearTimeout(timeout));
    }, heartbeatMs.every);
    heartbeat.unref();
    try {
      await ended;
    } finally {
      clearInterval(heartbeat);
    }
  };

  const running = (async () => {
    let pause = retryMs.first;
    while (!stopped) {
      const began = Date.now();
      try {
        await session();
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'could not listen for team changes; retrying');
      }
      handlers.lost();
      await client?.end().catch(() => {});
      if (stopped) break;
      // A connection that lasted a while starts the pauses over.
      if (Date.now() - began > retryMs.longest) pause = retryMs.first;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      pause = Math.min(pause * 2, retryMs.longest);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await client?.end().catch(() => {});
      await running;
    },
  };
}
