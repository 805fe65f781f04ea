import { ConfigError, loadConfig } from '../../../services/common/config';

describe('ESOR_HTTP_TRUST_PROXY', () => {
  const read = (v?: string) => loadConfig(v === undefined ? {} : { ESOR_HTTP_TRUST_PROXY: v }, '/srv').http.trustProxy;

  it('is false by default and for false or 0', () => {
    expect(read()).toBe(false);
    expect(read('false')).toBe(false);
    expect(read('0')).toBe(false);
  });
  it('reads a hop count or a list of proxy addresses and CIDRs', () => {
    expect(read('1')).toBe(1);
    expect(read('127.0.0.1, 10.0.0.0/8,::1')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
  });
  it('refuses "true" (anyone could name their own IP) and anything that is not an address', () => {
    expect(() => read('true')).toThrow(ConfigError);
    expect(() => read('proxy.example.org')).toThrow(/trustProxy/);
  });
});
