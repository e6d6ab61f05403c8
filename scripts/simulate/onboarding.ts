/**
 * The koperasi of the plan, through the public API as an operator and treasurers would: create each koperasi,
 * log its treasurer in, set its fees, register members, record their opening deposits, log the members in.
 * Deposits (opening and during the load) are recorded here, by the same Idempotency-Key retries a treasurer's
 * app would do, so the checks know what each member put in.
 */
import { callRetrying, field, newRetryStats, type Answer, type RetryStats } from './http.js';
import type { Plan, PlannedKoperasi } from './plan.js';
import { ADMIN_TOKEN } from './settings.js';
import { uuidFrom } from './schedule.js';
import { createRandom } from '../../adapters/sandbox/prng.js';

export interface MemberHandle {
  koperasi: number;
  memberNo: string;
  pin: string;
  token: string;
  /** Deposits confirmed by the API, rupiah. */
  deposited: number;
  /** Deposit keys never answered (the check re-sends them: the same key replays the answer). */
  unconfirmed: { key: string; amount: number }[];
}

/** The koperasi's counter: one kasir with a shift open for the whole run, taking cash for non-members. */
export interface KasirHandle {
  token: string;
  /** The opening float put into the drawer, rupiah. */
  float: number;
}

export interface KoperasiHandle {
  code: string;
  treasurerToken: string;
  members: MemberHandle[];
  kasir: KasirHandle;
}

export interface World {
  api: string;
  koperasi: KoperasiHandle[];
  retries: RetryStats;
}

const must = (answer: Answer | undefined, what: string, ok = [200, 201]): Answer => {
  if (answer === undefined || !ok.includes(answer.status)) {
    throw new Error(`${what} failed: ${answer?.status ?? 'no answer'} ${JSON.stringify(answer?.body ?? '')}`);
  }
  return answer;
};

/** What the treasurer registers a member with: replaced by the member's own at the first login. */
const INITIAL_PASSWORD = 'sandi-dari-bendahara-1';
const initialPin = (pin: string) => (pin === '860731' ? '860732' : '860731');

async function login(api: string, koperasi: string, username: string, password: string, stats: RetryStats) {
  const answer = must(
    await callRetrying(api, '/v1/auth/token', { body: { koperasi, username, password } }, stats),
    `login ${username}`,
  );
  const token = field(answer, 'accessToken');
  if (token === undefined) throw new Error(`login ${username}: no token`);
  return token;
}

/** A deposit with its key, retried through 5xx and dead connections; false when never answered. */
export async function deposit(
  world: World,
  member: MemberHandle,
  amount: number,
  key: string,
  deadlineMs = 60_000,
): Promise<boolean> {
  const kop = world.koperasi[member.koperasi]!;
  const answer = await callRetrying(
    world.api,
    `/v1/members/${member.memberNo}/deposits`,
    { token: kop.treasurerToken, key, body: { amount, reference: `setoran ${key.slice(0, 8)}` } },
    world.retries,
    deadlineMs,
  );
  if (answer === undefined) {
    member.unconfirmed.push({ key, amount });
    return false;
  }
  must(answer, `deposit for ${member.memberNo}`);
  member.deposited += amount;
  return true;
}

async function onboardKoperasi(
  world: World,
  planned: PlannedKoperasi,
  index: number,
  seed: number,
): Promise<KoperasiHandle> {
  const { api, retries } = world;
  const admin = { token: ADMIN_TOKEN };
  must(
    await callRetrying(
      api,
      '/v1/koperasi',
      { ...admin, body: { code: planned.code, name: planned.name, treasurer: planned.treasurer } },
      retries,
    ),
    `koperasi ${planned.code}`,
  );
  const treasurerToken = await login(
    api,
    planned.code,
    planned.treasurer.username,
    planned.treasurer.password,
    retries,
  );
  for (const [product, amount] of Object.entries(planned.fees)) {
    must(
      await callRetrying(
        api,
        `/v1/fees/${product}`,
        { method: 'PUT', token: treasurerToken, body: { amount } },
        retries,
      ),
      `fee ${product}`,
    );
  }
  const handle: KoperasiHandle = {
    code: planned.code,
    treasurerToken,
    members: [],
    kasir: await onboardKasir(api, planned.code, treasurerToken, retries),
  };
  world.koperasi[index] = handle;
  const keys = createRandom(seed + index + 1);
  for (const m of planned.members) {
    must(
      await callRetrying(
        api,
        '/v1/members',
        {
          token: treasurerToken,
          body: { memberNo: m.memberNo, name: m.name, password: INITIAL_PASSWORD, pin: initialPin(m.pin) },
        },
        retries,
      ),
      `member ${m.memberNo}`,
    );
    // The first login replaces the treasurer's password and PIN with the member's own.
    const first = await login(api, planned.code, m.memberNo, INITIAL_PASSWORD, retries);
    const withPassword = field(
      must(
        await callRetrying(
          api,
          '/v1/me/password',
          { token: first, body: { currentPassword: INITIAL_PASSWORD, newPassword: m.password } },
          retries,
        ),
        `password of ${m.memberNo}`,
      ),
      'accessToken',
    );
    must(
      await callRetrying(
        api,
        '/v1/me/pin',
        { token: withPassword, body: { currentPin: initialPin(m.pin), newPin: m.pin } },
        retries,
      ),
      `PIN of ${m.memberNo}`,
    );
    const token = await login(api, planned.code, m.memberNo, m.password, retries);
    const member: MemberHandle = {
      koperasi: index,
      memberNo: m.memberNo,
      pin: m.pin,
      token,
      deposited: 0,
      unconfirmed: [],
    };
    handle.members.push(member);
    if (!(await deposit(world, member, m.deposit, uuidFrom(keys))))
      throw new Error(`opening deposit of ${m.memberNo} never answered`);
  }
  return handle;
}

export const KASIR_FLOAT = 500_000;

/** The treasurer creates a kasir; the kasir replaces the password and opens a shift with the float. */
async function onboardKasir(
  api: string,
  code: string,
  treasurerToken: string,
  retries: RetryStats,
): Promise<KasirHandle> {
  const own = 'sandi-kasir-sendiri-1';
  must(
    await callRetrying(
      api,
      '/v1/kasir',
      { token: treasurerToken, body: { username: 'kasir', name: 'Kasir Loket', password: INITIAL_PASSWORD } },
      retries,
    ),
    `kasir of ${code}`,
    [201, 409],
  );
  const first = await login(api, code, 'kasir', INITIAL_PASSWORD, retries);
  must(
    await callRetrying(
      api,
      '/v1/me/password',
      { token: first, body: { currentPassword: INITIAL_PASSWORD, newPassword: own } },
      retries,
    ),
    `password of the kasir of ${code}`,
  );
  const token = await login(api, code, 'kasir', own, retries);
  must(
    await callRetrying(
      api,
      '/v1/counter/shifts',
      { token, key: `shift-${code}`, body: { openingFloat: KASIR_FLOAT } },
      retries,
    ),
    `shift of the kasir of ${code}`,
  );
  return { token, float: KASIR_FLOAT };
}

export async function onboard(api: string, plan: Plan): Promise<World> {
  const world: World = { api, koperasi: [], retries: newRetryStats() };
  await Promise.all(plan.koperasi.map((k, i) => onboardKoperasi(world, k, i, plan.seed)));
  return world;
}
