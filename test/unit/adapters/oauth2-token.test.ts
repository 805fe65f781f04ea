import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTokenProvider, OAuth2Error } from '../../../adapters/oauth2-token';

/** A real token endpoint on loopback that rotates refresh tokens. */
async function startTokenEndpoint(answer: (form: URLSearchParams) => { status: number; body: unknown }) {
  const requests: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const form = new URLSearchParams(data);
      requests.push(form);
      const { status, body } = answer(form);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, requests, close: () => new Promise((r) => server.close(r)) };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'esor-oauth-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('OAuth2 token provider', () => {
  it('refreshes, saves the rotated refresh token, and reuses the token until it nears expiry', async () => {
    let n = 0;
    const endpoint = await startTokenEndpoint(() => ({ status: 200, body: { access_token: `access-${++n}`, expires_in: 3600, refresh_token: `refresh-${n}` } }));
    try {
      let clock = 1_000_000;
      const file = path.join(dir, 'token.json');
      const settings = { tokenUrl: endpoint.url, clientId: 'client', refreshToken: 'refresh-0' };
      const provider = createTokenProvider(settings, file, () => clock);
      expect(await provider.getAccessToken()).toBe('access-1');
      expect(await provider.getAccessToken()).toBe('access-1');
      expect(endpoint.requests).toHaveLength(1);
      expect(endpoint.requests[0]!.get('refresh_token')).toBe('refresh-0');
      expect(JSON.parse(readFileSync(file, 'utf8')).refreshToken).toBe('refresh-1');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // A restart reads the saved token; near expiry it refreshes with the rotated refresh token.
      clock += 3600_000 - 30_000;
      const restarted = createTokenProvider(settings, file, () => clock);
      expect(await restarted.getAccessToken()).toBe('access-2');
      expect(endpoint.requests[1]!.get('refresh_token')).toBe('refresh-1');
    } finally {
      await endpoint.close();
    }
  });

  it('says a revoked consent (4xx) is final and a 5xx is transient', async () => {
    let status = 400;
    const endpoint = await startTokenEndpoint(() => ({ status, body: { error: 'invalid_grant' } }));
    try {
      const provider = createTokenProvider({ tokenUrl: endpoint.url, clientId: 'c', refreshToken: 'r' }, path.join(dir, 't.json'));
      await expect(provider.getAccessToken()).rejects.toMatchObject({ code: 'OAUTH2_REFRESH_FAILED', transient: false });
      status = 503;
      const err = await provider.getAccessToken().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OAuth2Error);
      expect((err as OAuth2Error).transient).toBe(true);
    } finally {
      await endpoint.close();
    }
  });
});
