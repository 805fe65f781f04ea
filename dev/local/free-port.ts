import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Another process may take it before the
 * caller binds it, so the servers that use this retry with a fresh port when their bind fails.
 * Throws when the operating system refuses to give a port at all.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err) => reject(new Error(`findFreePort: cannot bind ${host}:0: ${err.message}`)));
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`findFreePort: no port from ${host}:0`))));
    });
  });
}
