import { ConfigError } from '@hookline/config';
import { describe, expect, it } from 'vitest';
import { loadDispatcherConfig } from './config.js';

describe('dispatcher configuration', () => {
  it('defaults to the three domain topics, no admin key and an empty URL allow-list', () => {
    const config = loadDispatcherConfig({});
    expect(config.DISPATCHER_TOPICS).toEqual(['hookline.marketplace', 'hookline.accounting', 'hookline.coworking']);
    expect(config.HOOKLINE_ADMIN_KEY).toBeUndefined();
    expect(config.HOOKLINE_URL_ALLOWLIST).toEqual([]);
    expect(config.HOOKLINE_RATE_LIMIT_PER_MINUTE).toBe(600);
  });

  it('reads the URL allow-list as a comma-separated list', () => {
    expect(loadDispatcherConfig({ HOOKLINE_URL_ALLOWLIST: 'localhost, 127.0.0.1,,10.0.0.0/8 ' }).HOOKLINE_URL_ALLOWLIST).toEqual(['localhost', '127.0.0.1', '10.0.0.0/8']);
  });

  it('names every bad variable at once, without echoing the admin key', () => {
    try {
      loadDispatcherConfig({ HOOKLINE_URL_ALLOWLIST: '10.0.0.0/33', HOOKLINE_ADMIN_KEY: 'short-secret', DISPATCHER_TOPIC_PATTERN: '(' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('HOOKLINE_URL_ALLOWLIST');
      expect(message).toContain('10.0.0.0/33');
      expect(message).toContain('HOOKLINE_ADMIN_KEY');
      expect(message).toContain('DISPATCHER_TOPIC_PATTERN');
      expect(message).not.toContain('short-secret');
    }
  });
});
