// Background work every server process runs: expiring unpaid orders (their stock goes back on
// sale), unfreezing commissions whose after-sales window has closed, and forgetting old
// idempotency records. Each job is safe to run in several processes at once (row locks with
// SKIP LOCKED, conditional updates), so there is no leader election to get wrong.
import { IdempotencyRepo } from '../modules/idempotency';
import type { Services } from '../services';
import { chinaDay, lastSettledWeek } from '../modules/leaders';
import { SYSTEM_ACTOR } from './groupbuy/leaders';

export interface JobOptions {
  expireEveryMs?: number;
  releaseEveryMs?: number;
  /** Keep idempotency records this long; clients retry within minutes, not days. */
  idempotencyRetentionMs?: number;
  /** How often to look for campaigns past cutoff whose wave has not run (default 30 s). */
  waveEveryMs?: number;
  /** How often to check whether today's leader KPI run is due (default hourly; it runs once a day). */
  leaderKpiCheckEveryMs?: number;
  /** How often live flash sales are ended at their time and marked sold out / reopened (default 1 s). */
  flashSalesEveryMs?: number;
  /** How often units left on ended live sessions and flash sales go back (default 30 s). */
  liveStrandedEveryMs?: number;
  /** How often every trust score is recomputed (default 10 minutes; the first run comes after `trustFirstRunMs`). */
  trustEveryMs?: number;
  /** Delay of the first trust run after start (default 5 s), so a fresh server has scores soon. */
  trustFirstRunMs?: number;
  log?: (msg: string) => void;
}

export interface Jobs {
  stop(): Promise<void>;
}

export function startJobs(s: Services, opts: JobOptions = {}): Jobs {
  const log = opts.log ?? (() => undefined);
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;

  const every = (ms: number, name: string, job: () => Promise<void>) => {
    let busy = false;
    const t = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const p = job()
        .catch((e: unknown) => log(`job ${name} failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, ms);
    t.unref();
    timers.push(t);
  };

  every(opts.expireEveryMs ?? 2_000, 'expire unpaid orders', async () => {
    // A backlog (after downtime) is worked off in batches without waiting for the next tick.
    while (!stopped && (await s.lifecycle.expireDue(200)) === 200);
  });
  every(opts.releaseEveryMs ?? 60_000, 'release commissions', async () => {
    while (!stopped && (await s.ledger.releaseMatured(undefined, 500)) === 500);
  });
  // The cutoff wave: every (region, day) with a published campaign past cutoff and no wave yet.
  // Two processes may both try; the wave's per-region lock and unique (region, day) make the
  // second find the first one's wave.
  every(opts.waveEveryMs ?? 30_000, 'cutoff wave', async () => {
    await s.wave.runDue(log);
  });
  // Leader KPIs, once a day, for the last week whose pickups are settled (its Sunday's pickups
  // run to Monday's end). The week's upsert is idempotent, so the daily reruns and other
  // processes doing the same only refresh its figures.
  let kpiDay: string | null = null;
  every(opts.leaderKpiCheckEveryMs ?? 3600_000, 'leader kpis', async () => {
    const now = s.clock.now();
    if (kpiDay === chinaDay(now)) return;
    const r = await s.leaderFlow.runKpis(SYSTEM_ACTOR, lastSettledWeek(now));
    kpiDay = chinaDay(now);
    log(`leader kpis ${r.weekStart}: ${r.leaders} leaders, ${r.warnings} warnings, ${r.suspended} suspended`);
  });
  // Live flash sales end at their time (units back to the session) and follow their stock
  // (sold out, reopened when an unpaid order gives units back). Checkout checks each sale after
  // its orders too; this catches what a crash between commit and check would miss.
  every(opts.flashSalesEveryMs ?? 1_000, 'live flash sales', async () => {
    await s.liveFlow.reconcileFlashSales();
  });
  every(opts.liveStrandedEveryMs ?? 30_000, 'live stranded units', async () => {
    await s.liveFlow.returnStranded();
  });
  // Trust scores (docs/insights.md) from the read models' last 30 days. Every process may run
  // it: each writes the same scores from the same figures.
  const trustRun = async () => {
    const r = await s.trust.recomputeAll();
    log(`trust scores: ${r.actors} actors`);
  };
  every(opts.trustEveryMs ?? 600_000, 'trust scores', trustRun);
  const first = setTimeout(() => {
    if (stopped) return;
    const p = trustRun()
      .catch((e: unknown) => log(`job trust scores failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => running.delete(p));
    running.add(p);
  }, opts.trustFirstRunMs ?? 5_000);
  first.unref();
  timers.push(first);
  const idem = new IdempotencyRepo();
  const retention = opts.idempotencyRetentionMs ?? 24 * 3600_000;
  every(Math.min(retention, 3600_000), 'forget idempotency records', async () => {
    await idem.deleteOlderThan(s.db.orm, new Date(s.clock.now().getTime() - retention));
  });

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
