/**
 * Demo data for a first run: one koperasi, its treasurer and two members with savings, and the
 * platform's deposit at each sandbox upstream. Only into an empty database; credentials are random
 * and returned once for printing.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from './deps.js';
import { createKoperasi } from './koperasi/service.js';
import { createOfficeUser } from './office/service.js';
import { PLATFORM_EQUITY } from './ledger/index.js';
import { createMember, depositSavings } from './members/service.js';
import type { UserPrincipal } from './auth/tokens.js';

export interface DemoCredentials {
  koperasi: string;
  treasurer: { username: string; password: string };
  /** Cooperative-office staff of the demo koperasi's region (the office console). */
  supervisor: { username: string; password: string; region: string };
  members: { memberNo: string; name: string; password: string; pin: string; balance: bigint }[];
}

const secret = () => randomBytes(9).toString('base64url');
const pin = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** Open the platform book and a deposit account per registered upstream (idempotent). */
export async function ensurePlatformAccounts(deps: Pick<Deps, 'db' | 'ledger' | 'billers'>): Promise<void> {
  await deps.ledger.openPlatformBook(deps.db);
  for (const name of deps.billers.names()) await deps.ledger.openUpstreamDepositAccount(deps.db, name);
}

export async function isEmpty(deps: Pick<Deps, 'db'>): Promise<boolean> {
  const result = await deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM koperasi`);
  return (result.rows[0]?.n ?? 0) === 0;
}

export async function seedDemo(
  deps: Deps,
  options: { upstreamDeposit?: bigint } = {},
): Promise<DemoCredentials | undefined> {
  if (!(await isEmpty(deps))) return undefined;
  await ensurePlatformAccounts(deps);
  const upstreamDeposit = options.upstreamDeposit ?? 1_000_000_000n;
  const platformBook = await deps.ledger.openPlatformBook(deps.db);
  const equity = await deps.ledger.requireAccount(deps.db, platformBook, PLATFORM_EQUITY);
  for (const name of deps.billers.names()) {
    const account = await deps.ledger.openUpstreamDepositAccount(deps.db, name);
    await deps.ledger.post(deps.db, {
      kind: 'upstream_topup',
      memo: `initial deposit at ${name}`,
      lines: [
        { accountId: account.id, side: 'D', amount: upstreamDeposit },
        { accountId: equity.id, side: 'C', amount: upstreamDeposit },
      ],
    });
  }

  const credentials: DemoCredentials = {
    koperasi: 'kopdemo',
    treasurer: { username: 'bendahara', password: secret() },
    supervisor: { username: 'dinas-demo', password: secret(), region: 'Kota Tangerang' },
    members: [
      { memberNo: 'A-001', name: 'Siti Rahayu', password: secret(), pin: pin(), balance: 500_000n },
      { memberNo: 'A-002', name: 'Budi Santoso', password: secret(), pin: pin(), balance: 250_000n },
    ],
  };
  const kop = await createKoperasi(deps, {
    code: credentials.koperasi,
    name: 'Koperasi Demo Sejahtera',
    region: credentials.supervisor.region,
    treasurer: { ...credentials.treasurer, name: 'Bendahara Demo', phone: '081200000001' },
  });
  const treasurer: UserPrincipal = {
    kind: 'user',
    userId: kop.treasurer.id,
    koperasiId: kop.id,
    role: 'treasurer',
  };
  for (const m of credentials.members) {
    // The printed demo credentials work as they are: no forced change at the first login.
    await createMember(
      deps,
      treasurer,
      { memberNo: m.memberNo, name: m.name, password: m.password, pin: m.pin },
      { mustChangeCredentials: false },
    );
    await depositSavings(
      deps,
      treasurer,
      m.memberNo,
      { amount: m.balance, reference: 'setoran awal (demo)' },
      {
        key: `seed-${randomUUID()}`,
        fingerprint: randomUUID(),
      },
    );
  }
  await createOfficeUser(
    deps,
    { actorType: 'admin', actorId: null },
    { role: 'supervisor', name: 'Petugas Dinas (demo)', ...credentials.supervisor },
  );
  return credentials;
}
