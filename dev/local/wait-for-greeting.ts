import net from 'node:net';
import type { ManagedProcess } from './managed-process';
import { LocalServerError } from './managed-process';

export interface GreetingProbe {
  host: string;
  port: number;
  /** Sent once connected, for servers that only speak when spoken to (Redis: PING). */
  send?: string;
  /**
   * Reads what the server sent so far: true = ready, false = not yet (close and retry, e.g. Redis
   * -LOADING), undefined = wait for more. Should check that the answer comes from *this* process:
   * when the port was taken, another server may answer before ours fails to bind.
   */
  check(received: string): boolean | undefined;
}

/** A check that waits for the first line and tests it. */
export function firstLineMatches(pattern: RegExp): (received: string) => boolean | undefined {
  return (received) => {
    const end = received.indexOf('\n');
    return end < 0 ? undefined : pattern.test(received.slice(0, end));
  };
}

/** One connection attempt: resolves true when the server's answer passes the check, false when refused or not ready. */
function probeOnce(probe: GreetingProbe, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let buffer = '';
    let settled = false;
    const socket = net.connect({ host: probe.host, port: probe.port });
    const finish = (ready: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => {
      if (probe.send) socket.write(probe.send);
    });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const ready = probe.check(buffer);
      if (ready !== undefined) finish(ready);
    });
  });
}

/**
 * Waits until the server answers with the expected first line.
 * Throws a LocalServerError naming the server, its log and its last output when the process
 * exits first or `timeoutMs` passes.
 */
export async function waitForGreeting(server: ManagedProcess, probes: GreetingProbe[], timeoutMs: number, logPath: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const probe of probes) {
    for (;;) {
      if (server.hasExited()) {
        const exit = await server.exited;
        throw new LocalServerError(
          `${server.name} exited (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}) before ${probe.host}:${probe.port} answered${formatTail(server)}`,
          logPath,
        );
      }
      if (Date.now() > deadline) {
        throw new LocalServerError(`${server.name} did not answer on ${probe.host}:${probe.port} within ${timeoutMs} ms${formatTail(server)}`, logPath);
      }
      if (await probeOnce(probe, Math.max(100, Math.min(2000, deadline - Date.now())))) break;
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 30))]);
    }
  }
}

function formatTail(server: ManagedProcess): string {
  const tail = server.outputTail().trim();
  return tail ? `; its output ended with: ${tail.split('\n').slice(-5).join(' | ')}` : '';
}
