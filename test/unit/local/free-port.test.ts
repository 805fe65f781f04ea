import net from 'node:net';
import { findFreePort } from '../../../dev/local/free-port';

describe('findFreePort', () => {
  it('returns a loopback port that can be bound right away', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives different ports to concurrent callers most of the time', async () => {
    const ports = await Promise.all(Array.from({ length: 5 }, () => findFreePort()));
    expect(new Set(ports).size).toBeGreaterThan(1);
  });
});
