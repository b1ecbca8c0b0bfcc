import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type pg from 'pg';
import { rateLimited } from '../errors.js';

const FIFTEEN_MINUTES = 15 * 60;
const DAY = 24 * 3600;
const KNOWN_FOR = 90 * DAY;

export type LoginThrottleSettings = {
  /** Failed sign-ins of one account from one address before each further one makes them wait. */
  freeFailures: number;
  /** The longest wait one account and address are made to keep between failed sign-ins. */
  maxDelaySeconds: number;
  /** Failed sign-ins of one account per 15 minutes, from all addresses that never signed in to it. */
  perAccount: number;
  /** Sign-in attempts of one address per 15 minutes, whatever the account. */
  perAddress: number;
};

export type LoginThrottle = {
  /** Refuses (429) an attempt that must wait; call before checking the password. */
  check: (email: string, address: string) => Promise<void>;
  /** Counts a failed attempt and sets the wait before the next one from that address. */
  failed: (email: string, address: string) => Promise<void>;
  /** Forgets the failures of that account and address, and remembers the address as the account's. */
  succeeded: (email: string, address: string) => Promise<void>;
};

/** A limiter's refusal as a 429; an Error is the database failing (a 503 through toAppError, not a 429). */
function refusal(rejection: unknown): never {
  if (rejection instanceof Error) throw rejection;
  throw rateLimited(Math.max(1, Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000)));
}

/**
 * Failed-sign-in throttling that an attacker cannot turn against the owner:
 * - per account AND address, growing waits: after `freeFailures` failures, each further one makes
 *   that pair wait 1 s, 2 s, 4 s, … up to `maxDelaySeconds` before the next attempt. Someone
 *   guessing from elsewhere slows only themselves;
 * - per account, a much higher ceiling of failures per 15 minutes from all addresses, against
 *   guessing spread over many addresses. It does not apply to addresses that signed in to the
 *   account in the last 90 days, so the owner at their usual address still gets in;
 * - per address, a ceiling of attempts per 15 minutes whatever the account, against spraying.
 * Everything is counted in PostgreSQL (rate-limiter-flexible, table `login_rate_limits`), so
 * several server processes and restarts share the counts.
 */
export function createLoginThrottle(pool: pg.Pool, settings: LoginThrottleSettings): LoginThrottle {
  const options = { storeClient: pool, storeType: 'pool', tableName: 'login_rate_limits', tableCreated: true } as const;
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => new RateLimiterPostgres({ ...options, keyPrefix, points, duration });
  const address = limiter('address', settings.perAddress, FIFTEEN_MINUTES);
  const account = limiter('account', settings.perAccount, FIFTEEN_MINUTES);
  // Failures of a pair within a day, never refused: they only decide how long the next wait is.
  const pairFailures = limiter('pair_failures', Number.MAX_SAFE_INTEGER, DAY);
  // The wait itself: a block of the pair's key for the wait's length.
  const pairWait = limiter('pair_wait', 1, 1);
  const known = limiter('known_address', 1, KNOWN_FOR);
  const pairKey = (email: string, from: string) => `${email}|${from}`;

  return {
    async check(email, from) {
      await address.consume(from).catch(refusal);
      const wait = await pairWait.get(pairKey(email, from));
      if (wait && wait.consumedPoints > 1) refusal(wait);
      const failures = await account.get(email);
      if (failures && failures.consumedPoints >= settings.perAccount && !(await known.get(pairKey(email, from)))) refusal(failures);
    },
    async failed(email, from) {
      const { consumedPoints } = await pairFailures.consume(pairKey(email, from));
      const beyond = consumedPoints - settings.freeFailures;
      if (beyond > 0) await pairWait.block(pairKey(email, from), Math.min(2 ** (beyond - 1), settings.maxDelaySeconds));
      // Counted whether or not the ceiling is reached already: a refusal here is no error.
      await account.consume(email).catch((rejection) => {
        if (rejection instanceof Error) throw rejection;
      });
    },
    async succeeded(email, from) {
      await Promise.all([pairFailures.delete(pairKey(email, from)), pairWait.delete(pairKey(email, from)), known.set(pairKey(email, from), 1, KNOWN_FOR)]);
    },
  };
}
