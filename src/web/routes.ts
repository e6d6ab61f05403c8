/**
 * The member app and treasurer console: static assets built by Vite into web/dist, served from the
 * same origin as the API (the API stays the single source of truth). Unknown non-API paths fall back
 * to index.html so client-side routes survive a reload. Without a build, `/` says how to make one.
 */
import { existsSync, mkdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import { WEB_DIST } from '../paths.js';

const API_PREFIXES = ['/v1/', '/health/', '/docs', '/metrics'];

export function webRoutes(root = WEB_DIST): FastifyPluginAsync {
  return async (app) => {
    // The folder may be built after start-up (npm run build:web): files are looked up per request.
    mkdirSync(root, { recursive: true });
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, serve: false });
    const page = async (reply: FastifyReply) =>
      existsSync(`${root}/index.html`)
        ? reply.header('cache-control', 'no-cache').sendFile('index.html')
        : reply
            .type('text/plain; charset=utf-8')
            .send('Pintu API. The web app is not built: run `npm run build:web`. OpenAPI: /docs\n');
    app.get('/', async (_request, reply) => page(reply));
    app.get('/*', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (API_PREFIXES.some((p) => path.startsWith(p)))
        throw new AppError('NOT_FOUND', `no route for GET ${path}`);
      if (/\.[a-z0-9]{2,5}$/i.test(path)) {
        const immutable = path.startsWith('/assets/');
        return reply.sendFile(path.slice(1), { maxAge: immutable ? '365d' : '1h', immutable });
      }
      return page(reply);
    });
  };
}
