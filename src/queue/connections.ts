/**
 * Redis connections. Workers block on Redis and must retry forever (`maxRetriesPerRequest: null`);
 * producers and the API fail fast so a request never hangs on a Redis that is down.
 */
import { Redis } from 'ioredis';

export function createRedis(url: string, role: 'command' | 'worker' | 'subscriber', name: string): Redis {
  return new Redis(url, {
    connectionName: `pintu-${name}`,
    maxRetriesPerRequest: role === 'command' ? 1 : null,
    enableOfflineQueue: role !== 'command',
    connectTimeout: 5_000,
    lazyConnect: false,
    // Reconnect with a capped backoff: Redis restarts are expected and survivable.
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  });
}
