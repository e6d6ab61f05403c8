/**
 * pino, with secrets redacted wherever they could appear. Request/response serializers log no
 * bodies and no headers, so customer numbers, PINs and tokens never reach the log through them.
 */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'password',
  'pin',
  'accessToken',
  'token',
  'apiKey',
  'sign',
  'secret',
  'customerNo',
  '*.password',
  '*.pin',
  '*.accessToken',
  '*.token',
  '*.apiKey',
  '*.sign',
  '*.secret',
  '*.customerNo',
  '*.authorization',
];

export function createLogger(options: { level: string; pretty?: boolean; name?: string }): Logger {
  return pino({
    name: options.name ?? 'pintu',
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

export type { Logger };
