import { LoginRateLimiter } from '../../services/dashboard/auth';
import { html } from '../../services/dashboard/html';
import { safeNext } from '../../services/dashboard/routes/auth';

describe('html', () => {
  it('escapes every interpolation, nested templates excepted', () => {
    const name = `<b>"O'Brien" & co</b>`;
    const inner = html`<em>${name}</em>`;
    expect(html`<p title="${name}">${inner} ${[1, '<', null, undefined, false]}</p>`.value).toBe(
      '<p title="&lt;b&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/b&gt;"><em>&lt;b&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/b&gt;</em> 1&lt;</p>',
    );
  });

  it('does not treat an object that looks like safe HTML as safe', () => {
    const fake = { value: '<script>x</script>', toString: () => '<script>x</script>' };
    expect(html`${fake as unknown as string}`.value).toBe('&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('LoginRateLimiter', () => {
  it('allows 5 failures per key in 15 minutes, then says how long to wait', () => {
    let t = 0;
    const limiter = new LoginRateLimiter(() => new Date(t));
    for (let i = 0; i < 4; i++) limiter.recordFailure(['ip:a', 'user:x']);
    expect(limiter.retryAfterMs(['ip:a'])).toBe(0);
    t = 60_000;
    limiter.recordFailure(['ip:a', 'user:x']);
    expect(limiter.retryAfterMs(['ip:b', 'user:x'])).toBe(15 * 60_000 - 60_000);
    t = 15 * 60_000 + 1;
    // The first four failures left the window; one remains.
    expect(limiter.retryAfterMs(['user:x'])).toBe(0);
    limiter.reset(['user:x']);
    expect(limiter.retryAfterMs(['user:x'])).toBe(0);
  });

  it('locks an IP only after 20 failures across usernames, a username after 5', () => {
    const limiter = new LoginRateLimiter(() => new Date(0));
    for (let i = 0; i < 19; i++) limiter.recordFailure(['ip:office', `user:u${i % 4}`]);
    expect(limiter.retryAfterMs(['ip:office', 'user:someone-else'])).toBe(0);
    expect(limiter.retryAfterMs(['user:u0'])).toBeGreaterThan(0);
    limiter.recordFailure(['ip:office', 'user:u9']);
    expect(limiter.retryAfterMs(['ip:office', 'user:someone-else'])).toBeGreaterThan(0);
  });

  it('forgets old keys rather than grow without bound', () => {
    const limiter = new LoginRateLimiter(() => new Date(0), 5, 1000, 10);
    for (let i = 0; i < 100; i++) limiter.recordFailure([`user:${i}`]);
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(10);
  });
});

describe('safeNext', () => {
  it.each([
    ['/applications?status=complete', '/applications?status=complete'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/login?next=/x', '/'],
    [undefined, '/'],
  ])('%s -> %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
