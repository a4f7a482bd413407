// Serves an in-process PGlite on a loopback port, so that everything talks to it with `pg`.
import type { PGlite } from '@electric-sql/pglite';

export interface EmbeddedServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  stop(): Promise<void>;
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

/** The parts of pglite-socket's (unexported) query queue that the fix below replaces. */
interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

// Frontend message types that end an extended-protocol exchange (or are one on their own).
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * pglite-socket queues each protocol message on its own, so two connections' extended-protocol
 * exchanges (Parse, Bind, Execute… Sync) interleave in PGlite's single session and trip over each
 * other's unnamed statement ("portal does not exist"). This keeps a connection's messages together
 * from the first of an exchange to its Sync, as it already does for a whole transaction.
 */
function keepExchangesTogether(queue: QueryQueue): void {
  let midExchange = false;
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = this.lastHandlerId;
        const exclusive = holder !== null && (midExchange || this.db.isInTransaction());
        const index = exclusive ? this.queue.findIndex((q) => q.handlerId === holder) : 0;
        if (index === -1) break; // the holder's next message hasn't arrived yet; it restarts the queue
        const [next] = this.queue.splice(index, 1);
        if (!next) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
        } catch (error) {
          midExchange = false;
          next.reject(error);
          continue;
        }
        const type = next.message[0];
        midExchange = !(type === SYNC || type === QUERY || type === TERMINATE);
        this.lastHandlerId = next.handlerId;
        next.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async function (handlerId: number) {
    // A connection that dropped mid-exchange must not hold the session for ever.
    if (this.lastHandlerId === handlerId) midExchange = false;
    await clearTransaction(handlerId);
    if (!this.processing) await this.processQueue();
  };
}

export async function serveEmbedded(pglite: PGlite, maxConnections: number): Promise<EmbeddedServer> {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections });
  keepExchangesTogether((server as unknown as { queryQueue: QueryQueue }).queryQueue);
  await server.start();
  return { url: `postgres://postgres@${server.getServerConn()}/postgres`, stop: () => server.stop() };
}
