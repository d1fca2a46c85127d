// SQL of the live room: chat (stored in batches), mutes, the per-minute and per-pin figures
// (flushed additively from memory, orders counted in their event's transaction) and the reads
// behind the host's dashboard and the room's order notices.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import type { DrainedFigures, MinuteFigures, PinFigures } from './minute-counters';
import { liveChatMessages, liveMutes } from './room.schema';

const ids = (list: number[]) => sql`${sql.param(list)}::bigint[]`;
const ints = (list: number[]) => sql`${sql.param(list)}::int[]`;
const bigints = ids;
const times = (list: Date[]) => sql`${sql.param(list.map((d) => d.toISOString()))}::timestamptz[]`;

/** Raw SQL answers timestamps as text on PGlite and Date on node-postgres: make them Dates. */
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));

export interface NewChatRow {
  id: number;
  sessionId: number;
  accountId: number;
  body: string;
  createdAt: Date;
}

/** What the room says about a paid live order, and what the figures need of it. */
export interface PaidLiveOrder {
  orderId: number;
  sessionId: number;
  buyerAccountId: number;
  buyerName: string;
  totalFen: number;
  paidAt: Date;
  /** The line the room announces: the one with most units (the first on a tie). */
  skuId: number;
  title: string;
  quantity: number;
}

export interface StoredMinute extends MinuteFigures {
  minute: Date;
}

export interface PinFiguresRow extends PinFigures {
  pinId: number;
  skuId: number;
  title: string;
  startedAt: Date;
  endedAt: Date | null;
}

export class RoomRepo {
  // ── chat ──
  /**
   * Ids for chat messages not yet stored, from the table's own sequence: the room broadcasts a
   * message (with the id a moderator removes it by) at once and stores it with the next batch.
   */
  async reserveChatIds(db: Executor, n: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT nextval(pg_get_serial_sequence('live_chat_messages', 'id'))::bigint AS id FROM generate_series(1, ${n}::int)`,
    );
    return rows.map((r) => Number(r.id));
  }

  /** One statement for a whole batch; the ids were reserved above. */
  async insertChats(db: Executor, rows: NewChatRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.execute(
      sql`INSERT INTO live_chat_messages (id, session_id, account_id, body, created_at) OVERRIDING SYSTEM VALUE
          SELECT * FROM unnest(${ids(rows.map((r) => r.id))}, ${ids(rows.map((r) => r.sessionId))}, ${ids(rows.map((r) => r.accountId))},
                               ${sql.param(rows.map((r) => r.body))}::text[], ${times(rows.map((r) => r.createdAt))})
          ON CONFLICT (id) DO NOTHING`,
    );
  }

  /** Mark a message of the session removed (the first removal stands); null when there is no such message. */
  async removeChat(db: Executor, sessionId: number, messageId: number, by: number, at: Date): Promise<{ id: number; accountId: number } | null> {
    const rows = await db
      .update(liveChatMessages)
      .set({ removedAt: sql`coalesce(${liveChatMessages.removedAt}, ${at.toISOString()}::timestamptz)`, removedBy: sql`coalesce(${liveChatMessages.removedBy}, ${by})` })
      .where(and(eq(liveChatMessages.id, messageId), eq(liveChatMessages.sessionId, sessionId)))
      .returning({ id: liveChatMessages.id, accountId: liveChatMessages.accountId });
    return rows[0] ?? null;
  }

  /** The latest messages of a session still standing, oldest first, with the sender's name (a room's history on join). */
  async recentChats(db: Executor, sessionId: number, limit: number): Promise<Array<{ id: number; accountId: number; name: string; body: string; createdAt: Date }>> {
    const rows = await selectRows<{ id: number; accountId: number; name: string; body: string; createdAt: unknown }>(
      db,
      sql`SELECT c.id, c.account_id AS "accountId", a.display_name AS name, c.body, c.created_at AS "createdAt"
          FROM live_chat_messages c JOIN accounts a ON a.id = c.account_id
          WHERE c.session_id = ${sessionId} AND c.removed_at IS NULL
          ORDER BY c.id DESC LIMIT ${limit}`,
    );
    return rows.reverse().map((r) => ({ ...r, id: Number(r.id), accountId: Number(r.accountId), createdAt: toDate(r.createdAt) }));
  }

  // ── mutes ──
  async mute(db: Executor, sessionId: number, accountId: number, by: number): Promise<void> {
    await db.insert(liveMutes).values({ sessionId, accountId, mutedBy: by }).onConflictDoNothing();
  }

  async unmute(db: Executor, sessionId: number, accountId: number): Promise<boolean> {
    const rows = await db
      .delete(liveMutes)
      .where(and(eq(liveMutes.sessionId, sessionId), eq(liveMutes.accountId, accountId)))
      .returning({ accountId: liveMutes.accountId });
    return rows.length > 0;
  }

  /** Muted accounts of some sessions (the rooms open in this process). */
  async mutedIn(db: Executor, sessionIds: number[]): Promise<Array<{ sessionId: number; accountId: number }>> {
    if (sessionIds.length === 0) return [];
    return db.select({ sessionId: liveMutes.sessionId, accountId: liveMutes.accountId }).from(liveMutes).where(inArray(liveMutes.sessionId, sessionIds));
  }

  async accountExists(db: Executor, accountId: number): Promise<boolean> {
    const rows = await selectRows<{ one: number }>(db, sql`SELECT 1 AS one FROM accounts WHERE id = ${accountId}`);
    return rows.length > 0;
  }

  /** Display names, for masking in chat. */
  async displayName(db: Executor, accountId: number): Promise<string | null> {
    const rows = await selectRows<{ name: string }>(db, sql`SELECT display_name AS name FROM accounts WHERE id = ${accountId}`);
    return rows[0]?.name ?? null;
  }

  // ── figures ──
  /**
   * Add drained figures of several sessions: counts add up, peaks and cumulative viewers keep
   * the higher value, so flushes from several processes (or a retried one) combine correctly.
   */
  async flushFigures(db: Executor, bySession: Array<{ sessionId: number; figures: DrainedFigures }>): Promise<void> {
    const minutes = bySession.flatMap(({ sessionId, figures }) => figures.minutes.map((m) => ({ sessionId, ...m })));
    const pins = bySession.flatMap(({ figures }) => figures.pins);
    if (minutes.length > 0) {
      const col = (f: keyof MinuteFigures) => ints(minutes.map((m) => m[f]));
      await db.execute(
        sql`INSERT INTO live_minute_stats AS s (session_id, minute, online_peak, viewers_cumulative, likes, chats, exposures, clicks, orders, buyers, gmv_fen)
            SELECT * FROM unnest(${ids(minutes.map((m) => m.sessionId))}, ${times(minutes.map((m) => new Date(m.minute)))},
                                 ${col('onlinePeak')}, ${col('viewersCumulative')}, ${col('likes')}, ${col('chats')},
                                 ${col('exposures')}, ${col('clicks')}, ${col('orders')}, ${col('buyers')}, ${bigints(minutes.map((m) => m.gmvFen))})
            ON CONFLICT (session_id, minute) DO UPDATE SET
              online_peak = greatest(s.online_peak, EXCLUDED.online_peak),
              viewers_cumulative = greatest(s.viewers_cumulative, EXCLUDED.viewers_cumulative),
              likes = s.likes + EXCLUDED.likes,
              chats = s.chats + EXCLUDED.chats,
              exposures = s.exposures + EXCLUDED.exposures,
              clicks = s.clicks + EXCLUDED.clicks,
              orders = s.orders + EXCLUDED.orders,
              buyers = s.buyers + EXCLUDED.buyers,
              gmv_fen = s.gmv_fen + EXCLUDED.gmv_fen`,
      );
    }
    if (pins.length > 0) {
      const col = (f: keyof PinFigures) => ints(pins.map((p) => p[f]));
      await db.execute(
        sql`INSERT INTO live_pin_stats AS s (pin_id, exposures, clicks, orders, gmv_fen)
            SELECT * FROM unnest(${ids(pins.map((p) => p.pinId))}, ${col('exposures')}, ${col('clicks')}, ${col('orders')}, ${bigints(pins.map((p) => p.gmvFen))})
            ON CONFLICT (pin_id) DO UPDATE SET
              exposures = s.exposures + EXCLUDED.exposures,
              clicks = s.clicks + EXCLUDED.clicks,
              orders = s.orders + EXCLUDED.orders,
              gmv_fen = s.gmv_fen + EXCLUDED.gmv_fen`,
      );
    }
  }

  /** A paid order of a live session with what the room announces; null for any other order. */
  async paidLiveOrder(db: Executor, orderId: number): Promise<PaidLiveOrder | null> {
    const rows = await selectRows<Omit<PaidLiveOrder, 'paidAt'> & { paidAt: unknown }>(
      db,
      sql`SELECT o.id AS "orderId", o.live_session_id AS "sessionId", o.buyer_account_id AS "buyerAccountId", a.display_name AS "buyerName",
                 o.total_fen AS "totalFen", o.paid_at AS "paidAt", l.sku_id AS "skuId", l.title, l.quantity
          FROM orders o
          JOIN accounts a ON a.id = o.buyer_account_id
          JOIN LATERAL (SELECT sku_id, title, quantity FROM order_lines WHERE order_id = o.id ORDER BY quantity DESC, id LIMIT 1) l ON true
          WHERE o.id = ${orderId} AND o.live_session_id IS NOT NULL AND o.paid_at IS NOT NULL`,
    );
    const r = rows[0];
    return r ? { ...r, totalFen: Number(r.totalFen), paidAt: toDate(r.paidAt) } : null;
  }

  /**
   * Count a paid order into its minute (by payment time) and into the pin that was presenting
   * one of its SKUs when it was placed. Runs in the order.paid event's transaction, so a
   * redelivered event is not counted twice. A buyer counts once per minute: the one whose first
   * payment in that minute this is.
   */
  async countPaidOrder(db: Executor, orderId: number): Promise<{ minute: Date; firstInMinute: boolean; pinId: number | null; pinGmvFen: number } | null> {
    const rows = await selectRows<{ minute: unknown; first: boolean; pinId: number | null; pinGmvFen: number | null }>(
      db,
      sql`WITH o AS (
            SELECT id, live_session_id, buyer_account_id, total_fen, paid_at, created_at, date_trunc('minute', paid_at) AS minute
            FROM orders WHERE id = ${orderId} AND live_session_id IS NOT NULL AND paid_at IS NOT NULL
          ), first AS (
            SELECT NOT EXISTS (
              SELECT 1 FROM orders p, o
              WHERE p.live_session_id = o.live_session_id AND p.buyer_account_id = o.buyer_account_id AND p.id <> o.id
                AND p.paid_at >= o.minute AND (p.paid_at, p.id) < (o.paid_at, o.id)
            ) AS first
          ), pin AS (
            SELECT pin.id, sum(l.line_total_fen)::bigint AS gmv
            FROM o JOIN live_pins pin ON pin.session_id = o.live_session_id
                    AND pin.started_at <= o.created_at AND (pin.ended_at IS NULL OR pin.ended_at > o.created_at)
                   JOIN order_lines l ON l.order_id = o.id AND l.sku_id = pin.sku_id
            GROUP BY pin.id
          )
          SELECT o.minute, first.first, pin.id AS "pinId", pin.gmv AS "pinGmvFen" FROM o CROSS JOIN first LEFT JOIN pin ON true`,
    );
    const r = rows[0];
    if (!r) return null;
    const minute = toDate(r.minute);
    const fact = { minute, firstInMinute: r.first, pinId: r.pinId === null ? null : Number(r.pinId), pinGmvFen: Number(r.pinGmvFen ?? 0) };
    await db.execute(
      sql`INSERT INTO live_minute_stats AS s (session_id, minute, orders, buyers, gmv_fen)
          SELECT live_session_id, ${minute.toISOString()}::timestamptz, 1, ${fact.firstInMinute ? 1 : 0}::int, total_fen FROM orders WHERE id = ${orderId}
          ON CONFLICT (session_id, minute) DO UPDATE SET
            orders = s.orders + 1, buyers = s.buyers + EXCLUDED.buyers, gmv_fen = s.gmv_fen + EXCLUDED.gmv_fen`,
    );
    if (fact.pinId !== null) {
      await db.execute(
        sql`INSERT INTO live_pin_stats AS s (pin_id, orders, gmv_fen) VALUES (${fact.pinId}::bigint, 1, ${fact.pinGmvFen}::bigint)
            ON CONFLICT (pin_id) DO UPDATE SET orders = s.orders + 1, gmv_fen = s.gmv_fen + EXCLUDED.gmv_fen`,
      );
    }
    return fact;
  }

  /** Likes so far and the most viewers counted, for a room opened again (restart, another process). */
  async sessionLevels(db: Executor, sessionId: number): Promise<{ likes: number; viewersCumulative: number }> {
    const rows = await selectRows<{ likes: number; viewers: number }>(
      db,
      sql`SELECT coalesce(sum(likes), 0)::bigint AS likes, coalesce(max(viewers_cumulative), 0)::int AS viewers FROM live_minute_stats WHERE session_id = ${sessionId}`,
    );
    return { likes: Number(rows[0]?.likes ?? 0), viewersCumulative: Number(rows[0]?.viewers ?? 0) };
  }

  // ── the dashboard ──
  async minutes(db: Executor, sessionId: number): Promise<StoredMinute[]> {
    const rows = await selectRows<Omit<StoredMinute, 'minute'> & { minute: unknown }>(
      db,
      sql`SELECT minute, online_peak AS "onlinePeak", viewers_cumulative AS "viewersCumulative", likes, chats, exposures, clicks, orders, buyers, gmv_fen AS "gmvFen"
          FROM live_minute_stats WHERE session_id = ${sessionId} ORDER BY minute`,
    );
    return rows.map((r) => ({ ...r, minute: toDate(r.minute), gmvFen: Number(r.gmvFen) }));
  }

  /** Every pin of the session in order, with its stored figures (zeros before the first flush). */
  async pins(db: Executor, sessionId: number): Promise<PinFiguresRow[]> {
    const rows = await selectRows<Omit<PinFiguresRow, 'startedAt' | 'endedAt'> & { startedAt: unknown; endedAt: unknown }>(
      db,
      sql`SELECT pin.id AS "pinId", pin.sku_id AS "skuId", p.name AS title, pin.started_at AS "startedAt", pin.ended_at AS "endedAt",
                 coalesce(s.exposures, 0)::int AS exposures, coalesce(s.clicks, 0)::int AS clicks, coalesce(s.orders, 0)::int AS orders,
                 coalesce(s.gmv_fen, 0)::bigint AS "gmvFen"
          FROM live_pins pin
          JOIN skus k ON k.id = pin.sku_id JOIN products p ON p.id = k.product_id
          LEFT JOIN live_pin_stats s ON s.pin_id = pin.id
          WHERE pin.session_id = ${sessionId}
          ORDER BY pin.started_at, pin.id`,
    );
    return rows.map((r) => ({ ...r, pinId: Number(r.pinId), skuId: Number(r.skuId), gmvFen: Number(r.gmvFen), startedAt: toDate(r.startedAt), endedAt: toDateOrNull(r.endedAt) }));
  }

  /** Distinct paying buyers of the session: in all, and in two windows [from, to). */
  async distinctBuyers(db: Executor, sessionId: number, windows: Array<{ from: Date; to: Date }>): Promise<{ total: number; windows: number[] }> {
    const parts = windows.map(
      (w, i) =>
        sql`, count(DISTINCT buyer_account_id) FILTER (WHERE paid_at >= ${w.from.toISOString()}::timestamptz AND paid_at < ${w.to.toISOString()}::timestamptz)::int AS ${sql.identifier(`w${i}`)}`,
    );
    const rows = await selectRows<Record<string, number>>(
      db,
      sql`SELECT count(DISTINCT buyer_account_id)::int AS total ${sql.join(parts, sql``)}
          FROM orders WHERE live_session_id = ${sessionId} AND paid_at IS NOT NULL`,
    );
    const r = rows[0] ?? {};
    return { total: Number(r.total ?? 0), windows: windows.map((_, i) => Number(r[`w${i}`] ?? 0)) };
  }
}
