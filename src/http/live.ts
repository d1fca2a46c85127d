// Live updates over WebSocket: a small hub of topics → sockets, fed by the outbox events.
//
// The hub knows nothing of orders or stores: a feed (an outbox subscriber) publishes messages
// to topics, and routes join sockets to topics after checking who may listen. Stores use it for
// their order queue (`store:<id>`, docs/stores.md); the live room of issue 7 will add its own
// topics and feed. Delivery is best effort on top of at-least-once events: a message may repeat
// (the client replaces the order by id), and a socket that was not connected misses it (the
// client reloads its list on connect).
import type { FastifyInstance } from 'fastify';
import type { EventHandler } from '../modules/events';
import type { OrdersService } from '../modules/orders';
import { isOperator, type PeopleService } from '../modules/people';
import type { StoresService } from '../modules/stores';
import type { Services } from '../services';

/** What the hub needs of a socket (a `ws` WebSocket has it). */
export interface LiveSocket {
  readonly readyState: number;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
const TEXT = { binary: false };

/** Close codes: 4401 no or bad session, 4403 not allowed, 4404 no such thing to listen to. */
export const LIVE_CLOSE = { unauthenticated: 4401, forbidden: 4403, notFound: 4404 } as const;

export class LiveHub {
  private readonly topics = new Map<string, Set<LiveSocket>>();

  /** Add a socket to a topic; returns the function that takes it off again. */
  join(topic: string, socket: LiveSocket): () => void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(socket);
    return () => {
      const s = this.topics.get(topic);
      if (!s) return;
      s.delete(socket);
      if (s.size === 0) this.topics.delete(topic);
    };
  }

  /** Anyone listening on this topic? Feeds ask before doing the work of a message. */
  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  get empty(): boolean {
    return this.topics.size === 0;
  }

  /**
   * Send a message (as JSON) to every open socket of the topic; returns how many got it. It is
   * serialised and encoded once: a live room sends each message to thousands of sockets, and
   * handing `ws` a string would encode it again for every one (a text frame either way).
   */
  publish(topic: string, message: unknown): number {
    const set = this.topics.get(topic);
    if (!set) return 0;
    const data = Buffer.from(JSON.stringify(message));
    let sent = 0;
    for (const s of set) {
      if (s.readyState !== OPEN) continue;
      try {
        s.send(data, TEXT);
        sent += 1;
      } catch {
        // A socket closing under us: its close handler takes it off the topic.
      }
    }
    return sent;
  }

  /** Close every socket (server shutdown). */
  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const set of this.topics.values()) for (const s of set) s.close(code, reason);
    this.topics.clear();
  }
}

// ── stores' order queue ──────────────────────────────────────────────────────
export const storeTopic = (storeId: number) => `store:${storeId}`;

/** Every order event the order flows emit (checkout, lifecycle, refunds). */
export const ORDER_TOPICS = [
  'order.placed',
  'order.paid',
  'order.cancelled',
  'order.expired',
  'order.fulfilling',
  'order.ready',
  'order.completed',
  'order.refunded',
  'order.late_payment_returned',
];

/**
 * The outbox subscriber that feeds the stores' queues: for an order event of a store someone
 * is listening to, push `{type:'order', order}` with the order as it is now (read in the
 * event's transaction, so it is at least as new as the event). Nobody listening: no reads.
 */
export function storeOrderFeed(hub: LiveHub, orders: OrdersService): EventHandler {
  return async (event, tx) => {
    if (hub.empty || event.aggregateType !== 'order') return;
    const row = await orders.repo.get(tx, event.aggregateId);
    if (!row || row.storeId === null || !hub.has(storeTopic(row.storeId))) return;
    hub.publish(storeTopic(row.storeId), { type: 'order', order: await orders.view(row.id, tx) });
  };
}

/** May this session listen to this store's queue? Owner, clerks and operators. */
async function storeListener(people: PeopleService, stores: StoresService, places: Services['place'], token: string | undefined, storeId: number) {
  const actor = token ? await people.authenticate(token) : null;
  if (!actor) return LIVE_CLOSE.unauthenticated;
  const store = await places.stores.get(storeId).catch(() => null);
  if (!store) return LIVE_CLOSE.notFound;
  if (isOperator(actor) || (await stores.isStaff(store, actor.accountId))) return null;
  return LIVE_CLOSE.forbidden;
}

/**
 * WS /api/stores/:id/live?token=<session token>. Browsers cannot set headers on a WebSocket,
 * so the session token comes in the query (or the linli_session cookie the page already has).
 */
export function liveRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/stores/:id/live',
    { websocket: true },
    async (socket, req) => {
      const storeId = Number(req.params.id);
      const token = req.query.token ?? req.sessionToken ?? undefined;
      // Messages that arrive before the check is done are ignored: the socket only listens.
      const refused = Number.isSafeInteger(storeId) && storeId > 0 ? await storeListener(s.people, s.stores, s.place, token, storeId) : LIVE_CLOSE.notFound;
      if (refused !== null) {
        socket.close(refused, refused === LIVE_CLOSE.forbidden ? 'forbidden' : refused === LIVE_CLOSE.notFound ? 'not found' : 'unauthenticated');
        return;
      }
      const leave = s.live.join(storeTopic(storeId), socket);
      socket.on('close', leave);
      socket.send(JSON.stringify({ type: 'hello', storeId }));
    },
  );
}
