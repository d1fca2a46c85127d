// What a live room shows, as a pure function of the messages it received (docs/live.md
// "The room"), plus the small rules the room page applies to coupons and the replay timeline.
import type { ChatMessage, CouponClaim, FlashSale, LiveCoupon, LivePin, MinuteStats, OrderNote, RoomMessage, TimelineEvent } from '../../../api/live.types';

const CHAT_KEEP = 120;
const ORDERS_KEEP = 20;

export interface RoomError {
  code: string;
  message: string;
  retryAfterMs?: number;
  at: number;
}

export interface RoomState {
  connected: boolean;
  /** Closed for good (4401/4403/4404): retrying will not help. */
  closedCode: number | null;
  /** The hello arrived: pin / flash / coupons below are the server's, not the page's guess. */
  synced: boolean;
  pin: LivePin | null;
  flashSale: FlashSale | null;
  coupons: LiveCoupon[];
  online: number;
  cumulative: number;
  likes: number;
  chat: ChatMessage[];
  orders: OrderNote[];
  /** The current minute's figures (host and operators only). */
  stats: Partial<MinuteStats> | null;
  /** The signed-in viewer as the room knows them (moderator: host or operator). */
  you: { accountId: number; moderator: boolean; muted: boolean } | null;
  error: RoomError | null;
}

export const initialRoom: RoomState = {
  connected: false,
  closedCode: null,
  synced: false,
  pin: null,
  flashSale: null,
  coupons: [],
  online: 0,
  cumulative: 0,
  likes: 0,
  chat: [],
  orders: [],
  stats: null,
  you: null,
  error: null,
};

function upsertCoupon(list: LiveCoupon[], c: LiveCoupon): LiveCoupon[] {
  const i = list.findIndex((x) => x.id === c.id);
  if (i < 0) return [...list, c];
  const next = list.slice();
  // Keep what the viewer knows of their own claim: broadcasts do not carry it.
  next[i] = { ...list[i], ...c };
  return next;
}

/** Merge a flash message into the one we know: stock-left messages may carry only some fields. */
function mergeFlash(prev: FlashSale | null, f: FlashSale): FlashSale {
  return prev && prev.id === f.id ? { ...prev, ...f } : f;
}

export function reduceRoom(s: RoomState, msg: RoomMessage): RoomState {
  switch (msg.type) {
    case 'hello': {
      // After a reconnect the recent lines come again: keep what we had, add what is new.
      const chat = [...s.chat];
      for (const c of msg.chats ?? []) if (!chat.some((x) => x.id === c.id)) chat.push({ id: c.id, accountId: c.accountId, name: c.name, body: c.body, at: c.at });
      chat.sort((a, b) => a.id - b.id);
      return {
        ...s,
        synced: true,
        pin: msg.pin,
        flashSale: msg.flashSale,
        coupons: (msg.coupons ?? []).map((c) => ({ ...s.coupons.find((x) => x.id === c.id), ...c })),
        online: msg.online ?? s.online,
        cumulative: msg.cumulative ?? s.cumulative,
        likes: Math.max(s.likes, msg.likes ?? 0),
        chat: chat.slice(-CHAT_KEEP),
        you: msg.you ?? null,
        error: msg.you?.muted ? { code: 'muted', message: 'muted', at: Date.now() } : null,
      };
    }
    case 'online':
      return { ...s, online: msg.online, cumulative: msg.cumulative ?? s.cumulative };
    case 'chat': {
      if (s.chat.some((c) => c.id === msg.id)) return s;
      const line: ChatMessage = { id: msg.id, accountId: msg.accountId, name: msg.name, body: msg.body, at: msg.at };
      return { ...s, chat: [...s.chat, line].slice(-CHAT_KEEP) };
    }
    case 'chat_removed':
      return { ...s, chat: s.chat.filter((c) => c.id !== msg.id) };
    case 'likes':
      return { ...s, likes: Math.max(s.likes, msg.total) };
    case 'pin':
      return { ...s, pin: msg.pin };
    case 'flash':
      return { ...s, flashSale: mergeFlash(s.flashSale, msg.flashSale) };
    case 'coupon':
      return { ...s, coupons: upsertCoupon(s.coupons, msg.coupon) };
    case 'order': {
      const note: OrderNote = { name: msg.name, skuId: msg.skuId, title: msg.title, quantity: msg.quantity, at: msg.at };
      return { ...s, orders: [note, ...s.orders].slice(0, ORDERS_KEEP) };
    }
    case 'stats':
      return { ...s, stats: msg, online: msg.online ?? s.online };
    case 'error':
      return { ...s, error: { code: msg.code, message: msg.message, ...(msg.retryAfterMs !== undefined ? { retryAfterMs: msg.retryAfterMs } : {}), at: Date.now() } };
    default:
      return s;
  }
}

/** Coupons as the room shows them now, with the viewer's own claims (from the page read or a claim just made). */
export function withMyClaims(coupons: LiveCoupon[], claims: CouponClaim[] | undefined): LiveCoupon[] {
  return coupons.map((c) => {
    if (c.myClaimId) return c;
    const mine = claims?.find((x) => x.couponId === c.id);
    return mine ? { ...c, myClaimId: mine.id, myClaimUsed: mine.orderId !== null } : c;
  });
}

/** Claimed, unused, unexpired coupons this goods total reaches (the order must stay ≥ 1 fen). */
export function usableCoupons(coupons: LiveCoupon[], itemsFen: number, now = Date.now()): LiveCoupon[] {
  return coupons.filter((c) => c.myClaimId && !c.myClaimUsed && itemsFen >= c.minSpendFen && new Date(c.expiresAt).getTime() > now && itemsFen - c.amountFen >= 1);
}

/** The SKU presented at `offsetS` of the recording, from the pinned/unpinned events (sorted by offset). */
export function pinnedAt(events: TimelineEvent[], offsetS: number): number | null {
  let sku: number | null = null;
  for (const e of events) {
    if (e.offsetS > offsetS) break;
    if (e.kind === 'pinned') sku = e.skuId;
    else if (e.kind === 'unpinned' || e.kind === 'ended') sku = null;
  }
  return sku;
}

/** 75 → "01:15", 3725 → "1:02:05". */
export function formatOffset(s: number): string {
  const v = Math.max(0, Math.floor(s));
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(v % 60)}` : `${pad(m)}:${pad(v % 60)}`;
}
