import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db';
import { accountRoles } from '../people/people.schema';
import { stores } from '../place/place.schema';
import { shareLinks, trafficEvents, type ActorType, type SourceType, type TargetType, type TrafficKind } from './traffic.schema';

export type ShareLinkRow = typeof shareLinks.$inferSelect;
export type NewTrafficEvent = Omit<typeof trafficEvents.$inferInsert, 'id'>;

export interface DayCount {
  day: string;
  kind: TrafficKind;
  sourceType: SourceType;
  count: number;
}
export interface SourceCount {
  sourceType: SourceType;
  sourceId: number;
  count: number;
}

export interface SummaryFilter {
  from: Date;
  to: Date;
  sourceType?: SourceType | undefined;
  targetType?: TargetType | undefined;
}

function filterOf(f: SummaryFilter): SQL {
  const conds = [gte(trafficEvents.occurredAt, f.from), lt(trafficEvents.occurredAt, f.to)];
  if (f.sourceType) conds.push(eq(trafficEvents.sourceType, f.sourceType));
  if (f.targetType) conds.push(eq(trafficEvents.targetType, f.targetType));
  return and(...conds)!;
}

// Days are China Standard Time calendar days (UTC+8, no daylight saving), which is how the
// operators read them; a fixed offset avoids depending on the server's time-zone database.
const cstDay = sql<string>`to_char(${trafficEvents.occurredAt} AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')`;

export class TrafficRepo {
  /** One multi-row INSERT for a whole buffered batch; returns the new rows' ids. */
  async insertEvents(db: Executor, events: NewTrafficEvent[]): Promise<number[]> {
    if (events.length === 0) return [];
    const rows = await db.insert(trafficEvents).values(events).returning({ id: trafficEvents.id });
    return rows.map((r) => r.id);
  }

  async insertShareLink(db: Executor, link: Omit<typeof shareLinks.$inferInsert, 'id' | 'createdAt'>): Promise<ShareLinkRow> {
    return (await db.insert(shareLinks).values(link).returning())[0]!;
  }

  async findShareLink(db: Executor, code: string): Promise<ShareLinkRow | null> {
    const rows = await db.select().from(shareLinks).where(eq(shareLinks.code, code)).limit(1);
    return rows[0] ?? null;
  }

  /**
   * Does the named actor exist? A leader or host is an account holding that role; a store is
   * a store. People and place own those tables; this reads them only to refuse links crediting
   * someone who is not there.
   */
  async actorExists(db: Executor, type: ActorType, id: number): Promise<boolean> {
    if (type === 'store') {
      return (await db.select({ id: stores.id }).from(stores).where(eq(stores.id, id)).limit(1)).length > 0;
    }
    const rows = await db
      .select({ id: accountRoles.accountId })
      .from(accountRoles)
      .where(and(eq(accountRoles.accountId, id), eq(accountRoles.role, type)))
      .limit(1);
    return rows.length > 0;
  }

  async countsByDay(db: Executor, f: SummaryFilter): Promise<DayCount[]> {
    const rows = await db
      .select({
        day: cstDay,
        kind: trafficEvents.kind,
        sourceType: trafficEvents.sourceType,
        count: sql<number>`count(*)`.mapWith(Number),
      })
      .from(trafficEvents)
      .where(filterOf(f))
      .groupBy(sql`1`, trafficEvents.kind, trafficEvents.sourceType)
      .orderBy(sql`1`, trafficEvents.kind, trafficEvents.sourceType);
    return rows;
  }

  /** The people and places that brought the most traffic (direct visits have no source). */
  async topSources(db: Executor, f: SummaryFilter, limit: number): Promise<SourceCount[]> {
    const rows = await db
      .select({
        sourceType: trafficEvents.sourceType,
        sourceId: trafficEvents.sourceId,
        count: sql<number>`count(*)`.mapWith(Number),
      })
      .from(trafficEvents)
      .where(and(filterOf(f), sql`${trafficEvents.sourceId} IS NOT NULL`))
      .groupBy(trafficEvents.sourceType, trafficEvents.sourceId)
      .orderBy(sql`count(*) DESC`, trafficEvents.sourceType, trafficEvents.sourceId)
      .limit(limit);
    return rows.map((r) => ({ sourceType: r.sourceType, sourceId: r.sourceId!, count: r.count }));
  }
}
