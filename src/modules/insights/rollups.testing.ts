// For tests: how far the rollups of migration 0018 are from what they stand for — sums of
// insights_daily. Every count must be 0: insights_region_daily row by row equals insights_daily
// grouped by (day, region, channel); insights_actor_totals holds each actor's all-time sums;
// every insights_actor_running row holds its actor's sums up to its day, with a row for every
// day from the actor's first to its last.

import { DAILY_FIGURES } from './facts.repo';

// insights_daily's figures (buyers is kept apart there, counted through insights_daily_buyers);
// actors keep all but the traffic ones.
const REGION_FIGURES: string[] = [...DAILY_FIGURES, 'buyers'];
const ACTOR_FIGURES = REGION_FIGURES.filter((f) => !['views', 'shares', 'clicks'].includes(f));

type Query = <T extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export interface RollupDrift {
  regionRows: number;
  regionDifferent: number;
  actors: number;
  actorTotalsDifferent: number;
  runningRows: number;
  runningDifferent: number;
  runningGaps: number;
}

export async function rollupDrift(query: Query): Promise<RollupDrift> {
  const list = (fs: string[], p: string) => fs.map((f) => `${p}.${f}`).join(', ');
  const sums = (fs: string[]) => fs.map((f) => `sum(${f})::bigint AS ${f}`).join(', ');
  const nonzero = (fs: string[]) => fs.map((f) => `sum(${f}) <> 0`).join(' OR ');
  const rowNonzero = ACTOR_FIGURES.map((f) => `${f} <> 0`).join(' OR ');
  const one = async (text: string) => Number(Object.values((await query<Record<string, unknown>>(text))[0]!)[0]);
  return {
    regionRows: await one(`SELECT count(*) FROM insights_region_daily`),
    regionDifferent: await one(`
      SELECT count(*) FROM insights_region_daily r
      FULL JOIN (SELECT day, region_id, channel, ${sums(REGION_FIGURES)} FROM insights_daily GROUP BY day, region_id, channel HAVING ${nonzero(REGION_FIGURES)}) d
        ON d.day = r.day AND d.region_id = r.region_id AND d.channel = r.channel
      WHERE r.day IS NULL OR d.day IS NULL OR ROW(${REGION_FIGURES.map((f) => `r.${f}::bigint`).join(', ')}) IS DISTINCT FROM ROW(${list(REGION_FIGURES, 'd')})`),
    actors: await one(`SELECT count(*) FROM insights_actor_totals`),
    actorTotalsDifferent: await one(`
      SELECT count(*) FROM (SELECT * FROM insights_actor_totals t WHERE ${ACTOR_FIGURES.map((f) => `t.${f} <> 0`).join(' OR ')}) t
      FULL JOIN (SELECT actor_type, actor_id, min(day) FILTER (WHERE ${rowNonzero}) AS first_day, max(day) FILTER (WHERE ${rowNonzero}) AS last_day, ${sums(ACTOR_FIGURES)}
                 FROM insights_daily WHERE actor_type <> 'none' GROUP BY actor_type, actor_id HAVING ${nonzero(ACTOR_FIGURES)}) d
        ON d.actor_type = t.actor_type AND d.actor_id = t.actor_id
      WHERE t.actor_id IS NULL OR d.actor_id IS NULL OR ROW(${ACTOR_FIGURES.map((f) => `t.${f}::bigint`).join(', ')}) IS DISTINCT FROM ROW(${list(ACTOR_FIGURES, 'd')})
         OR t.first_day > d.first_day OR t.last_day < d.last_day`),
    runningRows: await one(`SELECT count(*) FROM insights_actor_running`),
    runningDifferent: await one(`
      SELECT count(*) FROM insights_actor_running r
      WHERE ROW(${ACTOR_FIGURES.map((f) => `r.${f}::bigint`).join(', ')}) IS DISTINCT FROM (
        SELECT ROW(${ACTOR_FIGURES.map((f) => `COALESCE(sum(d.${f}), 0)::bigint`).join(', ')}) FROM insights_daily d
        WHERE d.actor_type = r.actor_type AND d.actor_id = r.actor_id AND d.day <= r.day)`),
    runningGaps: await one(`
      SELECT count(*) FROM insights_actor_totals t
      WHERE (SELECT count(*) FROM insights_actor_running r WHERE r.actor_type = t.actor_type AND r.actor_id = t.actor_id
               AND r.day BETWEEN t.first_day AND t.last_day) <> t.last_day - t.first_day + 1`),
  };
}

/** The drift with every count that must be 0 at 0, and the row counts as they are. */
export function noDrift(d: RollupDrift): RollupDrift {
  return { ...d, regionDifferent: 0, actorTotalsDifferent: 0, runningDifferent: 0, runningGaps: 0 };
}
