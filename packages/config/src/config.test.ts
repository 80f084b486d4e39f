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
    const schema = z.object({ SECRET_KEY: z.string().min(32, 'must be at least 32 characters'), PORT: env.port(3000), NEEDED: z.string() });
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

  it('treats empty strings as unset', () => {
    expect(loadRuntimeConfig({ KAFKA_BROKERS: '', PORT: '' }).PORT).toBe(3000);
  });
});
