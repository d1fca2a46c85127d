// The live room over WebSocket (docs/live.md "The room"): WS /api/live/sessions/:id/room, and
// the outbox subscriber that turns pins, flash sales, coupons, session changes and paid orders
// into room messages and figures. The room's state and rules are LiveRoomService
// (src/modules/live/room.service.ts); this file only connects sockets and events to it.
import type { FastifyInstance } from 'fastify';
import { isDomainError } from '../kernel';
import type { EventHandler, OutboxEvent } from '../modules/events';
import type { CouponView, FlashSaleView, LiveRoomService, LiveSessionView, PinView } from '../modules/live';
import type { Services } from '../services';
import { LIVE_CLOSE } from './live';

/** Every event the room listens to. */
export const LIVE_ROOM_TOPICS = [
  'live.session.started',
  'live.session.ended',
  'live.pin.changed',
  'live.flash_sale.changed',
  'live.coupon.released',
  'order.paid',
];

type Payload = Record<string, unknown> | null | undefined;

/** An object the payload carries under `key` with a numeric id (a view of the changed thing). */
function carried<T extends { id: number }>(payload: Payload, key: string): T | undefined {
  const v = payload?.[key];
  return v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'number' ? (v as T) : undefined;
}

/** The session an event of live selling is about: `payload.sessionId`, else its aggregate. */
function sessionOf(event: OutboxEvent): number | null {
  const id = (event.payload as Payload)?.sessionId;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return event.aggregateType === 'live_session' ? event.aggregateId : null;
}

/**
 * The room's outbox subscriber. Paid live orders are counted whether or not anyone is watching
 * (the dashboard needs them); everything else only matters to rooms open in this process.
 * Events of live selling carry the changed thing as the host's call left it (src/flows/live:
 * `{sessionId, pin | flashSale | coupon | session}`); the room sends that on as it is.
 */
export function liveRoomFeed(rooms: LiveRoomService): EventHandler {
  return async (event, tx) => {
    const payload = event.payload as Payload;
    if (event.aggregateType === 'order') {
      if (payload?.channel === 'live' && event.topic === 'order.paid') await rooms.onOrderPaid(tx, event.aggregateId);
      return;
    }
    const sessionId = sessionOf(event);
    if (sessionId === null) return;
    switch (event.topic) {
      case 'live.session.started':
      case 'live.session.ended':
        return rooms.onSessionChanged(tx, sessionId, carried<LiveSessionView>(payload, 'session'));
      case 'live.pin.changed': {
        // `pin: null` is an unpin; no `pin` at all means "read it".
        const pin = payload && 'pin' in payload && payload.pin === null ? null : carried<PinView>(payload, 'pin');
        return rooms.onPinChanged(tx, sessionId, pin);
      }
      case 'live.flash_sale.changed': {
        const sale = carried<FlashSaleView>(payload, 'flashSale') ?? idGiven(payload, 'flashSaleId');
        if (sale) await rooms.onFlashSaleChanged(tx, sessionId, sale);
        return;
      }
      case 'live.coupon.released': {
        const coupon = carried<CouponView>(payload, 'coupon') ?? idGiven(payload, 'couponId');
        if (coupon) await rooms.onCouponReleased(tx, sessionId, coupon);
        return;
      }
    }
  };
}

function idGiven(payload: Payload, field: string): { id: number } | undefined {
  const v = payload?.[field];
  return typeof v === 'number' && Number.isSafeInteger(v) ? { id: v } : undefined;
}

const VIEWER_KEY = /^[\w-]{8,64}$/;

/**
 * WS /api/live/sessions/:id/room?token=<session token>&viewer=<random id>. Anyone may watch;
 * chat, likes and clicks need a session (the token in the query, as browsers cannot set
 * headers on a WebSocket, or the linli_session cookie). `viewer` is an optional random id the
 * page keeps, so an anonymous viewer who reconnects is not counted twice. A bad token closes
 * with 4401, an unknown or cancelled session with 4404. Messages sent before `hello` are ignored.
 */
export function liveRoomSocketRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { id: string }; Querystring: { token?: string; viewer?: string } }>(
    '/live/sessions/:id/room',
    { websocket: true },
    async (socket, req) => {
      const sessionId = Number(req.params.id);
      if (!Number.isSafeInteger(sessionId) || sessionId <= 0) return socket.close(LIVE_CLOSE.notFound, 'not found');
      const token = req.query.token ?? req.sessionToken ?? undefined;
      const actor = token ? await s.people.authenticate(token) : null;
      if (token && !actor) return socket.close(LIVE_CLOSE.unauthenticated, 'unauthenticated');
      const viewer = typeof req.query.viewer === 'string' && VIEWER_KEY.test(req.query.viewer) ? req.query.viewer : undefined;
      socket.on('message', (data: Buffer) => {
        s.liveRooms.receive(socket, sessionId, data.toString()).catch((err: unknown) => req.log.error({ err }, 'live room message'));
      });
      socket.on('close', () => s.liveRooms.leave(socket, sessionId));
      try {
        await s.liveRooms.join(socket, sessionId, actor, viewer);
      } catch (err) {
        if (isDomainError(err) && err.kind === 'not_found') return socket.close(LIVE_CLOSE.notFound, 'not found');
        req.log.error({ err }, 'live room join');
        socket.close(1011, 'server error');
      }
    },
  );
  s.liveRooms.reportErrorsTo((what, err) => app.log.error({ err }, what));
  // Figures counted in memory are stored before the server goes.
  app.addHook('onClose', async () => s.liveRooms.close());
}
