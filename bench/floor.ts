/**
 * The Postgres floor: the raw posting transaction a payment cannot do without — update one random
 * savings row, insert two entries and one payment row — executed directly through `pg` from Node at
 * the benchmark's concurrency, with synchronous_commit on. `hot` also updates one shared fee row per
 * transaction (what a naive ledger does to a koperasi's income account).
 */
import pg from 'pg';

export async function prepareFloor(url: string, accounts: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`
    DROP TABLE IF EXISTS floor_entries, floor_payments, floor_accounts, floor_fee;
    CREATE TABLE floor_accounts (id int PRIMARY KEY, balance bigint NOT NULL);
    CREATE TABLE floor_entries (id bigserial PRIMARY KEY, account_id int NOT NULL, amount bigint NOT NULL, created_at timestamptz DEFAULT now());
    CREATE TABLE floor_payments (id bigserial PRIMARY KEY, account_id int NOT NULL, amount bigint NOT NULL, created_at timestamptz DEFAULT now());
    CREATE TABLE floor_fee (id int PRIMARY KEY, balance bigint NOT NULL);
    INSERT INTO floor_accounts SELECT g, 1000000000 FROM generate_series(1, ${accounts}) g;
    INSERT INTO floor_fee VALUES (1, 0);`);
  await client.end();
}

export async function runFloor(
  url: string,
  options: { concurrency: number; seconds: number; accounts: number; hot: boolean },
): Promise<{ perSecond: number; transactions: number }> {
  const pool = new pg.Pool({ connectionString: url, max: options.concurrency });
  const deadline = Date.now() + options.seconds * 1000;
  let done = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < deadline) {
        const account = 1 + Math.floor(Math.random() * options.accounts);
        await client.query('BEGIN');
        await client.query('UPDATE floor_accounts SET balance = balance - 103500 WHERE id = $1', [account]);
        await client.query(
          'INSERT INTO floor_entries (account_id, amount) VALUES ($1, -103500), ($1, 103500)',
          [account],
        );
        await client.query('INSERT INTO floor_payments (account_id, amount) VALUES ($1, 103500)', [account]);
        if (options.hot) await client.query('UPDATE floor_fee SET balance = balance + 1000 WHERE id = 1');
        await client.query('COMMIT');
        done += 1;
      }
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.end();
  return { perSecond: done / elapsed, transactions: done };
}
