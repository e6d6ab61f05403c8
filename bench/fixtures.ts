/**
 * Benchmark fixtures: koperasi with members and savings, created through the ledger but with one
 * precomputed password/PIN hash (hashing 1000 secrets with argon2 would dominate the setup), and
 * access tokens minted with the service's own secret.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { hashSecret } from '../src/auth/secrets.js';
import { createTokenService } from '../src/auth/tokens.js';
import type { Db } from '../src/db/client.js';
import { type Ledger, KOPERASI_ACCOUNTS } from '../src/ledger/index.js';

export const BENCH_PIN = '135790';

export interface BenchMember {
  koperasiId: string;
  memberId: string;
  token: string;
}

export async function seedKoperasi(
  db: Db,
  ledger: Ledger,
  options: { koperasi: number; membersEach: number; savings: bigint; jwtSecret: string; prefix: string },
): Promise<BenchMember[]> {
  const pinHash = await hashSecret(BENCH_PIN);
  const tokens = createTokenService(options.jwtSecret, 24 * 3600);
  const members: BenchMember[] = [];
  for (let k = 0; k < options.koperasi; k++) {
    const koperasiId = randomUUID();
    await db.execute(
      sql`INSERT INTO koperasi (id, code, name) VALUES (${koperasiId}, ${`${options.prefix}-${k}`}, ${`Koperasi Bench ${k}`})`,
    );
    const bookId = await ledger.openKoperasiBook(db, koperasiId);
    const cash = await ledger.requireAccount(db, bookId, KOPERASI_ACCOUNTS.depositsCash.code);
    for (let m = 0; m < options.membersEach; m++) {
      const memberId = randomUUID();
      await db.execute(sql`
        INSERT INTO users (id, koperasi_id, role, username, name, password_hash, pin_hash)
        VALUES (${memberId}, ${koperasiId}, 'member', ${`B-${m}`}, ${`Anggota ${m}`}, ${pinHash}, ${pinHash})`);
      const savings = await ledger.openSavingsAccount(db, bookId, memberId, `Anggota ${m}`);
      await db.execute(sql`UPDATE users SET savings_account_id = ${savings.id} WHERE id = ${memberId}`);
      await ledger.post(db, {
        kind: 'deposit',
        memo: 'bench',
        lines: [
          { accountId: cash.id, side: 'D', amount: options.savings },
          { accountId: savings.id, side: 'C', amount: options.savings },
        ],
      });
      const { accessToken } = await tokens.issue({
        kind: 'user',
        userId: memberId,
        koperasiId,
        role: 'member',
      });
      members.push({ koperasiId, memberId, token: accessToken });
    }
  }
  return members;
}
