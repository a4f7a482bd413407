// The HTTP side that is ours rather than Bolt's: health and readiness, and closing a server so that
// requests already in flight finish.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Readiness = () => Promise<{ ready: boolean; detail?: string }>;

export interface HealthAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export const healthz = (): HealthAnswer => ({ status: 200, body: { ok: true } });

export async function readyz(readiness: Readiness, stopping: boolean): Promise<HealthAnswer> {
  // While draining, say so: a load balancer stops sending new work here.
  if (stopping) return { status: 503, body: { ready: false, detail: 'shutting down' } };
  try {
    const answer = await readiness();
    return { status: answer.ready ? 200 : 503, body: { ...answer } };
  } catch (error) {
    return { status: 503, body: { ready: false, detail: (error as Error).message } };
  }
}

/** A bare server for /healthz, /readyz and /metrics, for Socket Mode (no HTTP receiver to hang them on). */
export function healthServer(
  readiness: Readiness,
  isStopping: () => boolean,
  metrics?: { readonly registry: { contentType: string; metrics(): Promise<string> } },
): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = ({ status, body }: HealthAnswer) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/healthz') return send(healthz());
    if (req.method === 'GET' && path === '/readyz') {
      void readyz(readiness, isStopping()).then(send);
      return;
    }
    if (req.method === 'GET' && path === '/metrics' && metrics) {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    send({ status: 404, body: { ok: false, error: 'not_found' } });
  });
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting connections and resolves once the open ones are done. Idle keep-alive
 * connections are closed at once; anything still open after `graceMs` is cut.
 */
export function closeGracefully(server: http.Server, graceMs = 10_000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
