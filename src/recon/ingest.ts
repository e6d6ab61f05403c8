/**
 * Settlement ingestion: stream an upstream's daily CSV into Postgres with COPY, validate it with
 * set-based SQL, and keep it only if every row is sound. The whole file is one transaction: a
 * malformed, truncated or half-uploaded file changes nothing. The same bytes twice are one file.
 *
 * Layout (docs/upstream-wire.md §Canonical settlement CSV): a header, one row per transaction that
 * became final during the WIB day, then `TOTAL,<count>,<sum total_amount>,<sum price>`.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { from as copyFrom } from 'pg-copy-streams';
import { wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { newId } from '../ids.js';
import { toRupiah } from '../money.js';

export const SETTLEMENT_HEADER =
  'trx_time,final_time,ref_id,biller_trx_id,product_code,customer_no,customer_name,periods,months,bill_amount,penalty,admin_fee,total_amount,price,commission,status,rc,sn_or_token,noref';

export interface SettlementProblem {
  line: number | null;
  refId?: string;
  reason: string;
}

export interface IngestResult {
  fileId: string;
  duplicate: boolean;
  rows: number;
  totalAmount: bigint;
  totalPrice: bigint;
}

const MAX_PROBLEMS = 50;

export class SettlementInvalidError extends AppError {
  constructor(readonly problems: SettlementProblem[]) {
    super(
      'SETTLEMENT_INVALID',
      `the settlement file was refused: ${problems[0]?.reason ?? 'invalid'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      {
        problems,
      },
    );
  }
}

/** Hashes every byte of the upload as it passes (the duplicate-file check). */
class Hashing extends Transform {
  readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** The CSV framing: quoted fields may hold commas, quotes and line breaks; lines end in LF or CRLF. */
const settlementParser = () =>
  parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });

/**
 * Takes csv-parse's records: checks the header, numbers the data rows for COPY (the file line where the record
 * starts first) and keeps the trailer aside.
 */
class SettlementRecords extends Transform {
  trailer: string | undefined;
  rows = 0;
  private records = 0;

  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(
    chunk: { record: string[]; info: { lines: number } },
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    const { record } = chunk;
    // info.lines is the line the record ends on; a quoted field with line breaks started earlier.
    const line = chunk.info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    this.records += 1;
    if (this.records === 1) {
      if (record.join(',') !== SETTLEMENT_HEADER) {
        return done(
          new SettlementInvalidError([{ line, reason: `wrong header; expected: ${SETTLEMENT_HEADER}` }]),
        );
      }
      return done();
    }
    if (this.trailer)
      return done(new SettlementInvalidError([{ line, reason: 'rows after the TOTAL trailer' }]));
    if (record[0] === 'TOTAL') {
      this.trailer = record.join(',');
      return done();
    }
    this.rows += 1;
    done(null, stringify([[line, ...record]]));
  }

  override _flush(done: TransformCallback): void {
    if (this.records === 0)
      return done(new SettlementInvalidError([{ line: null, reason: 'the file is empty' }]));
    if (!this.trailer)
      return done(
        new SettlementInvalidError([
          { line: null, reason: 'the TOTAL trailer is missing (file truncated?)' },
        ]),
      );
    done();
  }
}

const STAGE = `
  CREATE TEMP TABLE settle_stage (
    line_no int, trx_time text, final_time text, ref_id text, biller_trx_id text, product_code text,
    customer_no text, customer_name text, periods text, months text, bill_amount text, penalty text,
    admin_fee text, total_amount text, price text, commission text, status text, rc text,
    sn_or_token text, noref text
  ) ON COMMIT DROP`;

/** Row checks, each a query returning (line, ref_id, reason). */
function rowChecks(dayStart: Date, dayEnd: Date): { sql: string; values: unknown[] }[] {
  const int = (c: string) => `${c} !~ '^[0-9]{1,15}$'`;
  const ts = (c: string) =>
    `${c} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'`;
  return [
    {
      sql: `SELECT line_no, ref_id, CASE
              WHEN coalesce(ref_id, '') !~ '^[A-Za-z0-9_-]{1,64}$' THEN 'ref_id is empty or not alphanumeric'
              WHEN ${ts("coalesce(trx_time, '')")} OR ${ts("coalesce(final_time, '')")} THEN 'trx_time/final_time is not an ISO time with offset'
              WHEN ${int("coalesce(bill_amount, '')")} OR ${int("coalesce(penalty, '')")} OR ${int("coalesce(admin_fee, '')")}
                OR ${int("coalesce(total_amount, '')")} OR ${int("coalesce(price, '')")} OR ${int("coalesce(commission, '')")}
                THEN 'an amount is not a whole number of rupiah'
              WHEN coalesce(status, '') NOT IN ('SUCCESS', 'FAILED', 'REFUNDED') THEN 'status must be SUCCESS, FAILED or REFUNDED'
              END AS reason
            FROM settle_stage`,
      values: [],
    },
    {
      sql: `SELECT line_no, ref_id, CASE
              WHEN final_time::timestamptz < $1 OR final_time::timestamptz >= $2 THEN 'final_time is not on the settlement date (WIB)'
              WHEN total_amount::bigint <> bill_amount::bigint + penalty::bigint + admin_fee::bigint THEN 'total_amount is not bill_amount + penalty + admin_fee'
              WHEN price::bigint <> total_amount::bigint - commission::bigint THEN 'price is not total_amount - commission'
              END AS reason
            FROM settle_stage`,
      values: [dayStart, dayEnd],
    },
    {
      sql: `SELECT min(line_no) AS line_no, ref_id, 'ref_id appears ' || count(*) || ' times' AS reason
            FROM settle_stage GROUP BY ref_id HAVING count(*) > 1`,
      values: [],
    },
  ];
}

async function collectProblems(
  client: pg.PoolClient,
  dayStart: Date,
  dayEnd: Date,
): Promise<SettlementProblem[]> {
  const problems: SettlementProblem[] = [];
  for (const check of rowChecks(dayStart, dayEnd)) {
    const result = await client.query<{ line_no: number; ref_id: string | null; reason: string | null }>(
      `SELECT * FROM (${check.sql}) c WHERE reason IS NOT NULL ORDER BY line_no LIMIT ${MAX_PROBLEMS}`,
      check.values,
    );
    for (const r of result.rows)
      problems.push({ line: r.line_no, refId: r.ref_id ?? undefined, reason: r.reason ?? 'invalid' });
    // Later checks cast columns the first check proved well-formed; stop at the first failing check.
    if (problems.length > 0) return problems.slice(0, MAX_PROBLEMS);
  }
  return problems;
}

function trailerProblems(
  trailer: string,
  totals: { rows: bigint; total: bigint; price: bigint },
): SettlementProblem[] {
  const parts = trailer.split(',');
  const [count, total, price] = parts.slice(1).map((p) => (/^\d{1,18}$/.test(p) ? BigInt(p) : undefined));
  if (parts.length !== 4 || count === undefined || total === undefined || price === undefined) {
    return [{ line: null, reason: 'the TOTAL trailer must be TOTAL,<count>,<sum total_amount>,<sum price>' }];
  }
  const problems: SettlementProblem[] = [];
  if (count !== totals.rows)
    problems.push({ line: null, reason: `trailer says ${count} rows, the file has ${totals.rows}` });
  if (total !== totals.total)
    problems.push({ line: null, reason: `trailer total_amount ${total} ≠ sum of rows ${totals.total}` });
  if (price !== totals.price)
    problems.push({ line: null, reason: `trailer price ${price} ≠ sum of rows ${totals.price}` });
  return problems;
}

/** COPY errors name the COPY line; our first column is the file line, so report that instead. */
function copyProblem(error: unknown): SettlementProblem {
  const e = error as { message?: string; where?: string };
  const copyLine = /line (\d+)/.exec(e.where ?? '')?.[1];
  return {
    line: copyLine ? Number(copyLine) + 1 : null,
    reason: `unreadable row: ${e.message ?? 'invalid CSV'}`,
  };
}

export async function ingestSettlement(
  deps: Pick<Deps, 'database' | 'log'>,
  input: { adapter: string; date: string; source: 'fetched' | 'uploaded'; stream: Readable },
): Promise<IngestResult> {
  const { start, end } = wibDayRange(input.date);
  const client = await deps.database.pool.connect();
  const hashing = new Hashing();
  const records = new SettlementRecords();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query(STAGE);
    try {
      await pipeline(
        input.stream,
        hashing,
        settlementParser(),
        records,
        client.query(copyFrom('COPY settle_stage FROM STDIN WITH (FORMAT csv)')),
      );
    } catch (error) {
      if (error instanceof SettlementInvalidError) throw error;
      if (error instanceof CsvError) {
        throw new SettlementInvalidError([
          {
            line: (error as CsvError & { lines?: number }).lines ?? null,
            reason: `unreadable CSV: ${error.message}`,
          },
        ]);
      }
      if (
        (error as { code?: string }).code?.startsWith('22') ||
        (error as { code?: string }).code === '42P10'
      ) {
        throw new SettlementInvalidError([copyProblem(error)]);
      }
      throw error;
    }
    const problems = await collectProblems(client, start, end);
    if (problems.length > 0) throw new SettlementInvalidError(problems);
    const sums = await client.query<{ rows: string; total: string; price: string }>(
      `SELECT count(*)::text AS rows, coalesce(sum(total_amount::bigint), 0)::text AS total, coalesce(sum(price::bigint), 0)::text AS price FROM settle_stage`,
    );
    const totals = {
      rows: toRupiah(sums.rows[0]!.rows),
      total: toRupiah(sums.rows[0]!.total),
      price: toRupiah(sums.rows[0]!.price),
    };
    const trailer = trailerProblems(records.trailer!, totals);
    if (trailer.length > 0) throw new SettlementInvalidError(trailer);

    const sha256 = hashing.hash.digest('hex');
    const existing = await client.query<{ id: string }>(
      'SELECT id FROM settlement_files WHERE adapter = $1 AND settlement_date = $2 AND sha256 = $3',
      [input.adapter, input.date, sha256],
    );
    if (existing.rows[0]) {
      await client.query('ROLLBACK');
      return {
        fileId: existing.rows[0].id,
        duplicate: true,
        rows: Number(totals.rows),
        totalAmount: totals.total,
        totalPrice: totals.price,
      };
    }
    const fileId = newId();
    await client.query(
      `INSERT INTO settlement_files (id, adapter, settlement_date, sha256, source, row_count, total_amount, total_price)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        fileId,
        input.adapter,
        input.date,
        sha256,
        input.source,
        Number(totals.rows),
        totals.total.toString(),
        totals.price.toString(),
      ],
    );
    await client.query(
      `INSERT INTO settlement_rows (file_id, line_no, ref_id, trx_time, final_time, biller_trx_id, product_code, customer_no,
                                    total_amount, price, commission, status, rc, sn_or_token)
       SELECT $1, line_no, ref_id, trx_time::timestamptz, final_time::timestamptz, coalesce(biller_trx_id, ''),
              coalesce(product_code, ''), coalesce(customer_no, ''), total_amount::bigint, price::bigint,
              commission::bigint, status, coalesce(rc, ''), coalesce(sn_or_token, '')
       FROM settle_stage`,
      [fileId],
    );
    await client.query('COMMIT');
    deps.log.info(
      { adapter: input.adapter, date: input.date, rows: Number(totals.rows), fileId },
      'settlement file ingested',
    );
    return {
      fileId,
      duplicate: false,
      rows: Number(totals.rows),
      totalAmount: totals.total,
      totalPrice: totals.price,
    };
  } catch (error) {
    // Discard the connection rather than ROLLBACK on it: a failed COPY may still be winding down on
    // the client, and closing the session rolls the transaction back on the server anyway.
    input.stream.destroy();
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}
