/**
 * Production must never run on the secrets printed in this repository: with NODE_ENV=production, or any
 * real (non-loopback) upstream URL, a default or empty secret stops start-up with a line naming it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const OWN = {
  JWT_SECRET: 'a-secret-of-our-own-that-is-long-enough-0001',
  ADMIN_TOKEN: 'an-admin-token-of-our-own-0001',
  DIGIFLAZZ_WEBHOOK_SECRET: 'a-webhook-secret-of-our-own',
  CHECKPOINT_SIGNING_KEY: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=',
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('secrets in production', () => {
  it.each(['JWT_SECRET', 'ADMIN_TOKEN', 'DIGIFLAZZ_WEBHOOK_SECRET', 'CHECKPOINT_SIGNING_KEY'] as const)(
    'refuses to start in production when %s is left at its public default',
    (name) => {
      const env: Record<string, string> = { NODE_ENV: 'production', ...OWN };
      delete env[name];
      const message = problems(env);
      expect(message).toContain(name);
      expect(message.split('\n')).toHaveLength(1);
      for (const other of Object.keys(OWN).filter((k) => k !== name)) expect(message).not.toContain(other);
    },
  );

  it.each(['JWT_SECRET', 'ADMIN_TOKEN', 'DIGIFLAZZ_WEBHOOK_SECRET', 'CHECKPOINT_SIGNING_KEY'] as const)(
    'treats an empty %s (as compose passes an unset variable) like a missing one',
    (name) => {
      expect(problems({ NODE_ENV: 'production', ...OWN, [name]: '' })).toContain(name);
    },
  );

  it('refuses the public defaults when a real upstream is configured, even outside production', () => {
    const message = problems({ DIGIFLAZZ_BASE_URL: 'https://api.digiflazz.com' });
    for (const name of Object.keys(OWN)) expect(message).toContain(name);
  });

  it('starts in production with secrets of its own', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...OWN, IAK_BASE_URL: 'https://prepaid.iak.id' });
    expect(config.JWT_SECRET).toBe(OWN.JWT_SECRET);
  });

  it('keeps the local defaults for development and for a sandbox on this machine', () => {
    expect(() => loadConfig({})).not.toThrow();
    expect(() =>
      loadConfig({
        DIGIFLAZZ_BASE_URL: 'http://127.0.0.1:4010/digiflazz',
        IAK_BASE_URL: 'http://localhost:4010/iak',
      }),
    ).not.toThrow();
  });
});
