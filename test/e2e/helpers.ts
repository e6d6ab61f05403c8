/**
 * The whole stack in-process for a browser: the sandbox upstream on a free port, the real app with
 * its workers on a database and Redis prefix of this test file's own, listening on a free port.
 */
import type { AddressInfo } from 'node:net';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import { type TestApp, bearer, givenApp } from '../helpers/app.js';
import { cutOffFarFromNow } from './browser.js';

export interface Stack {
  t: TestApp;
  sandbox: Sandbox;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startStack(
  options: { pendingMs?: number; cutOff?: { start: string; end: string } } = {},
): Promise<Stack> {
  const cutOff = options.cutOff ?? cutOffFarFromNow();
  const sandbox = createSandbox({
    seed: 7,
    pendingMs: options.pendingMs ?? 2_000,
    refundMs: 120_000,
    cutOff,
  });
  const upstream = await sandbox.listen(0, '127.0.0.1');
  const t = await givenApp({
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    workers: true,
    // A loaded CI box can take more than the suite's usual 2 s for a loopback inquiry; the browser tests are
    // about the screens, not upstream timeouts.
    env: { PLN_CUTOFF_START: cutOff.start, PLN_CUTOFF_END: cutOff.end, UPSTREAM_TIMEOUT_MS: '10000' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  sandbox.setCallbackUrl('digiflazz', `${baseUrl}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${baseUrl}/v1/callbacks/iak`);
  return {
    t,
    sandbox,
    baseUrl,
    async close() {
      await t.close();
      await sandbox.close();
    },
  };
}

/** GET through the API as `token` (tests check what the screen says against the source of truth). */
export async function apiGet<T = Record<string, unknown>>(
  stack: Stack,
  token: string,
  url: string,
): Promise<T> {
  const response = await stack.t.app.inject({ url, headers: bearer(token) });
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}
