import { ConfigError } from '@hookline/config';
import { describe, expect, it } from 'vitest';
import { loadDispatcherConfig } from './config.js';

describe('dispatcher configuration', () => {
  it('defaults to the three domain topics, an empty URL allow-list and 1,000 connections per tenant', () => {
    const config = loadDispatcherConfig({});
    expect(config.DISPATCHER_TOPICS).toEqual(['hookline.marketplace', 'hookline.accounting', 'hookline.coworking']);
    expect(config.HOOKLINE_URL_ALLOWLIST).toEqual([]);
    expect(config.HOOKLINE_MAX_CONNECTIONS_PER_TENANT).toBe(1000);
  });

  it('reads the URL allow-list as a comma-separated list', () => {
    expect(
      loadDispatcherConfig({ HOOKLINE_URL_ALLOWLIST: 'localhost, 127.0.0.1,,10.0.0.0/8 ' }).HOOKLINE_URL_ALLOWLIST,
    ).toEqual(['localhost', '127.0.0.1', '10.0.0.0/8']);
  });

  it('names every bad variable at once', () => {
    try {
      loadDispatcherConfig({
        HOOKLINE_URL_ALLOWLIST: '10.0.0.0/33',
        HOOKLINE_MAX_CONNECTIONS_PER_TENANT: '0',
        DISPATCHER_TOPIC_PATTERN: '(',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('HOOKLINE_URL_ALLOWLIST');
      expect(message).toContain('10.0.0.0/33');
      expect(message).toContain('HOOKLINE_MAX_CONNECTIONS_PER_TENANT');
      expect(message).toContain('DISPATCHER_TOPIC_PATTERN');
    }
  });
});
