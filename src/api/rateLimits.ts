import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Principal } from '../domain/principal';
import { Problem, sendProblem } from './problem';

/** The client's address: behind a trusted proxy (`trust proxy`), the one its X-Forwarded-For names. */
const addressKey = (req: Request) => `address:${ipKeyGenerator(req.ip ?? 'unknown')}`;

const sendTooMany = (res: Response, what: string, seconds: number) =>
  sendProblem(
    res,
    new Problem(429, 'rate-limited', `${what}; retry in ${seconds} s`, { headers: { 'Retry-After': String(seconds) } }),
  );

/** 429 with the seconds until the window resets, as problem+json. */
const tooMany = (what: string) => (req: Request, res: Response) => {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  sendTooMany(res, what, reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60);
};

/**
 * Per-token budget: one noisy integration cannot starve the others. A caller without a token (a
 * public path) is counted by its address, not in one bucket shared by every anonymous caller.
 */
export function perCallerRateLimit(limitPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const principal = res.locals.principal as Principal | undefined;
      return principal ? `caller:${principal.subject}` : addressKey(req);
    },
    validate: false,
    handler: tooMany(`more than ${limitPerMinute} requests a minute`),
  });
}

/**
 * Failed authentications per client address, checked before the token is: an address that got
 * `limitPerMinute` 401 answers in the window gets 429 for the rest of it, whatever it sends. A 401
 * counts once it is answered, so any number of requests in flight with valid tokens behind one
 * address are never counted (a limiter that counts on arrival and takes back successes refused them).
 */
export function authFailureRateLimit(limitPerMinute: number, isPublic: (req: Request) => boolean) {
  const windowMs = 60_000;
  const failures = new Map<string, { count: number; resetAt: number }>();
  const liveEntry = (key: string, now: number) => {
    const entry = failures.get(key);
    if (entry && entry.resetAt <= now) failures.delete(key);
    return entry && entry.resetAt > now ? entry : undefined;
  };
  const forget = (now: number) => {
    for (const [key, entry] of failures) if (entry.resetAt <= now) failures.delete(key);
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isPublic(req)) return next();
    const key = addressKey(req);
    const now = Date.now();
    const entry = liveEntry(key, now);
    if (entry && entry.count >= limitPerMinute) {
      const seconds = Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
      return sendTooMany(res, `more than ${limitPerMinute} failed authentications a minute from this address`, seconds);
    }
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      const at = Date.now();
      const current = liveEntry(key, at);
      if (current) current.count += 1;
      else {
        // Addresses are many and short-lived: expired windows go before a new one is kept.
        if (failures.size >= 10_000) forget(at);
        failures.set(key, { count: 1, resetAt: at + windowMs });
      }
    });
    next();
  };
}
