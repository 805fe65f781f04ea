/**
 * OAuth2 access tokens for XOAUTH2 (Microsoft 365, Gmail): refreshed with the
 * refresh token before they expire, and saved (with a rotated refresh token,
 * when the provider sends one) so a restart does not need a new consent.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OAuth2Settings {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  scope?: string;
}

interface SavedToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  refreshToken: string;
}

export class OAuth2Error extends Error {
  constructor(
    readonly code: 'OAUTH2_REFRESH_FAILED' | 'OAUTH2_BAD_RESPONSE',
    message: string,
    /** A 5xx or a network fault may pass; a 4xx (revoked consent) will not. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'OAuth2Error';
  }
}

/** Refresh this long before expiry, so a token never runs out during a login. */
const EARLY_MS = 60_000;

export interface TokenProvider {
  getAccessToken(): Promise<string>;
}

/**
 * A provider that keeps its token in `file` (mode 0600).
 * @throws OAuth2Error from getAccessToken when the provider refuses or answers nonsense.
 */
export function createTokenProvider(settings: OAuth2Settings, file: string, now: () => number = Date.now, fetchImpl: typeof fetch = fetch): TokenProvider {
  let saved: SavedToken | undefined = readSaved(file);
  let refreshing: Promise<string> | undefined;
  const refresh = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: saved?.refreshToken ?? settings.refreshToken,
      client_id: settings.clientId,
      ...(settings.clientSecret ? { client_secret: settings.clientSecret } : {}),
      ...(settings.scope ? { scope: settings.scope } : {}),
    });
    let res: Response;
    try {
      res = await fetchImpl(settings.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    } catch {
      throw new OAuth2Error('OAUTH2_REFRESH_FAILED', 'the token endpoint could not be reached', true);
    }
    if (!res.ok) throw new OAuth2Error('OAUTH2_REFRESH_FAILED', `the token endpoint answered ${res.status}`, res.status >= 500);
    const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
    if (typeof json.access_token !== 'string') throw new OAuth2Error('OAUTH2_BAD_RESPONSE', 'the token endpoint sent no access token', false);
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
    saved = {
      accessToken: json.access_token,
      expiresAt: now() + (Number.isFinite(lifetime) ? lifetime : 3600) * 1000,
      refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : (saved?.refreshToken ?? settings.refreshToken),
    };
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(saved), { mode: 0o600 });
    await rename(tmp, file);
    return saved.accessToken;
  };
  return {
    async getAccessToken() {
      if (saved && saved.expiresAt - EARLY_MS > now()) return saved.accessToken;
      // Concurrent logins share one refresh.
      refreshing ??= refresh().finally(() => (refreshing = undefined));
      return refreshing;
    },
  };
}

function readSaved(file: string): SavedToken | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as SavedToken;
    return typeof v.accessToken === 'string' && typeof v.refreshToken === 'string' && typeof v.expiresAt === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}
