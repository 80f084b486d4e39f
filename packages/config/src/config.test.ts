import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig, loadRuntimeConfig } from './index.js';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadRuntimeConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.MONGODB_DB).toBe('hookline');
  });

  it('parses lists, booleans and ports', () => {
    const schema = z.object({ A: env.list(), B: env.boolean(false), C: env.port(1) });
    expect(loadConfig(schema, { A: 'x, y,,z', B: 'yes', C: '8080' })).toEqual({ A: ['x', 'y', 'z'], B: true, C: 8080 });
  });

  it('reports every bad or missing variable in one error, without echoing values', () => {
    const schema = z.object({
      SECRET_KEY: z.string().min(32, 'must be at least 32 characters'),
      PORT: env.port(3000),
      NEEDED: z.string(),
    });
    let error: unknown;
    try {
      loadConfig(schema, { SECRET_KEY: 'hunter2', PORT: 'eighty' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.issues.map((i) => i.variable).sort()).toEqual(['NEEDED', 'PORT', 'SECRET_KEY']);
    expect(configError.message).toContain('NEEDED: is required but not set');
    expect(configError.message).toContain('SECRET_KEY: must be at least 32 characters');
    expect(configError.message).not.toContain('hunter2');
  });

  it('rejects malformed Kafka brokers and MongoDB URIs', () => {
    expect(() => loadRuntimeConfig({ KAFKA_BROKERS: 'localhost', MONGODB_URI: 'postgres://x' })).toThrow(
      /KAFKA_BROKERS.*host:port[\s\S]*MONGODB_URI: must start with mongodb/,
    );
  });

  it('binds to loopback, with no admin key or service credential and 600 requests a minute, by default', () => {
    const config = loadRuntimeConfig({});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.HOOKLINE_ALLOWED_HOSTS).toEqual([]);
    expect(config.HOOKLINE_ADMIN_KEY).toBeUndefined();
    expect(config.HOOKLINE_SERVICE_KEY).toBeUndefined();
    expect(config.HOOKLINE_RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(config.HOOKLINE_SERVICE_RATE_LIMIT_PER_MINUTE).toBe(60_000);
    expect(
      loadRuntimeConfig({ HOOKLINE_ALLOWED_HOSTS: 'hookline.example.com, .svc.cluster.local' }).HOOKLINE_ALLOWED_HOSTS,
    ).toEqual(['hookline.example.com', '.svc.cluster.local']);
  });

  it('refuses short or shared credentials and bad host names, without echoing them', () => {
    const admin = 'a'.repeat(30);
    try {
      loadRuntimeConfig({
        HOOKLINE_ADMIN_KEY: 'short-secret',
        HOOKLINE_SERVICE_KEY: 'also-short',
        HOOKLINE_ALLOWED_HOSTS: 'http://x/',
      });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/HOOKLINE_ADMIN_KEY: must be at least 24 characters/);
      expect(message).toMatch(/HOOKLINE_SERVICE_KEY: must be at least 32 characters/);
      expect(message).toContain('HOOKLINE_ALLOWED_HOSTS');
      expect(message).not.toContain('short-secret');
      expect(message).not.toContain('also-short');
    }
    expect(() => loadRuntimeConfig({ HOOKLINE_ADMIN_KEY: `${admin}xx`, HOOKLINE_SERVICE_KEY: `${admin}xx` })).toThrow(
      /HOOKLINE_SERVICE_KEY: must differ from HOOKLINE_ADMIN_KEY/,
    );
  });

  it('reads which proxies to trust for the client address: none by default', () => {
    expect(loadRuntimeConfig({}).HOOKLINE_TRUST_PROXY).toBeUndefined();
    expect(loadRuntimeConfig({ HOOKLINE_TRUST_PROXY: 'true' }).HOOKLINE_TRUST_PROXY).toBe(true);
    expect(loadRuntimeConfig({ HOOKLINE_TRUST_PROXY: '1' }).HOOKLINE_TRUST_PROXY).toBe(1);
    expect(loadRuntimeConfig({ HOOKLINE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).HOOKLINE_TRUST_PROXY).toBe(
      '10.0.0.0/8, 127.0.0.1',
    );
    expect(() => loadRuntimeConfig({ HOOKLINE_TRUST_PROXY: 'everyone' })).toThrow(/HOOKLINE_TRUST_PROXY/);
  });

  it('treats empty strings as unset', () => {
    expect(loadRuntimeConfig({ KAFKA_BROKERS: '', PORT: '' }).PORT).toBe(3000);
  });
});
