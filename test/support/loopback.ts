import type http from 'node:http';
import type net from 'node:net';

/** Starts `server` on a free loopback port and returns the port. */
export async function listenLoopback(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as net.AddressInfo).port;
}

/** Stops `server`, dropping connections still open (a stalled test client). */
export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
