// The live-selling API's shapes (docs/live.md), apart from the calls so that pure code and its
// tests can use them without a browser. Money is integer fen, times ISO strings.
import type { TrustBadgeData } from './trust';

export type LiveStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export interface LiveSession {
  id: number;
  hostAccountId: number;
  regionId: number;
  title: string;
  coverUrl: string | null;
  streamUrl: string;
  recordingUrl: string | null;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  status: LiveStatus;
}

/** A room in the list: the session with its host's name and, while live, who is watching. */
export interface LiveListItem extends LiveSession {
  host: HostCard;
  bagSize: number;
  online?: number;
  /** The host's trust score; the list's tie-breaker among rooms of the same day (docs/insights.md). */
  hostTrustScore?: number | null;
}

export interface HostCard {
  accountId: number;
  displayName: string;
  avatarUrl: string | null;
  persona: string;
}

export interface BagItem {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  position: number;
  /** What a buyer pays now: the live price while live, the region's normal price afterwards (null: not sold there). */
  priceFen: number | null;
  priceKind: 'live' | 'normal';
  livePriceFen: number;
  normalPriceFen: number | null;
  /** The limit that applies now (the bag's while live, the shelf's after). */
  limitPerPerson: number | null;
  allotted: number;
  /** Units to be had now: at the session's location while live, at the central warehouse after. */
  available: number;
  onSale: boolean;
}

export interface LivePin {
  id: number;
  sessionId?: number;
  skuId: number;
  title?: string;
  startedAt: string;
  endedAt: string | null;
}

export type FlashStatus = 'open' | 'sold_out' | 'ended';
export interface FlashSale {
  id: number;
  sessionId?: number;
  skuId: number;
  title?: string;
  priceFen: number;
  quantity: number;
  /** Units still to sell; absent in some messages, then the last known value stands. */
  available?: number;
  limitPerPerson: number;
  startsAt: string;
  endsAt: string;
  status: FlashStatus;
}

export interface LiveCoupon {
  id: number;
  sessionId?: number;
  amountFen: number;
  minSpendFen: number;
  quantity: number;
  claimed: number;
  remaining?: number;
  releasedAt?: string;
  expiresAt: string;
  /** The signed-in viewer's claim of it, if any (and whether it is spent). */
  myClaimId?: number | null;
  myClaimUsed?: boolean;
}

export interface SessionDetail {
  session: LiveSession;
  host: HostCard | null;
  bag: BagItem[];
  pin: LivePin | null;
  flashSale: FlashSale | null;
  coupons: LiveCoupon[];
  /** The signed-in viewer's claims of this session's coupons (public page only). */
  myClaims?: CouponClaim[];
}

export interface MinuteStats {
  minute: string;
  onlinePeak: number;
  viewersCumulative: number;
  likes: number;
  chats: number;
  exposures: number;
  clicks: number;
  orders: number;
  buyers: number;
  gmvFen: number;
}

export type Figures = Omit<MinuteStats, 'minute'>;

export interface PinStats {
  pinId: number;
  skuId: number;
  title: string;
  startedAt: string;
  endedAt: string | null;
  exposures: number;
  clicks: number;
  orders: number;
  gmvFen: number;
  /** orders ÷ exposures, 0..1. */
  conversion: number;
}

export interface Dashboard {
  /** Every minute from the start to now (or the end), quiet ones as zeros. */
  minutes: MinuteStats[];
  pins: PinStats[];
  funnel: { exposures: number; clicks: number; orders: number };
  /** The whole session, counted up to this moment (including what is not yet stored). */
  totals: Figures;
  compare: { lastMinutes: number; last: Figures; previous: Figures };
  /** Viewers online now. */
  online: number;
}

export type TimelineKind = 'pinned' | 'unpinned' | 'price' | 'flash_started' | 'flash_sold_out' | 'flash_ended' | 'coupon' | 'started' | 'ended';
export interface TimelineEvent {
  at: string;
  offsetS: number;
  kind: TimelineKind;
  skuId: number | null;
  title: string | null;
  detail: Record<string, unknown> | null;
}
export interface Timeline {
  recordingUrl: string | null;
  startedAt: string | null;
  endedAt: string | null;
  events: TimelineEvent[];
}

export interface HostProfile extends HostCard {
  regionId: number;
  commissionBp: number;
  followers: number;
  following: boolean;
  /** Sessions that went live. */
  sessions: number;
  live: boolean;
  trust: {
    /** Basis points (10000 = 100 %); null with nothing to divide by yet. */
    repeatBuyerBp: number | null;
    afterSalesBp: number | null;
    onTimeDeliveryBp: number | null;
    counts: { buyers: number; repeatBuyers: number; paidOrders: number; afterSalesOrders: number; delivered: number; deliveredOnTime: number };
    /** The trust score 0–100 and its parts (docs/insights.md); null before the first computation. */
    score?: number | null;
    parts?: TrustBadgeData['parts'] | null;
    computedAt?: string | null;
  };
}

export interface NewBagItem {
  skuId: number;
  livePriceFen: number;
  limitPerPerson?: number;
  allotted: number;
}
export interface NewSession {
  title: string;
  scheduledAt: string;
  coverUrl?: string;
  streamUrl: string;
  bag: NewBagItem[];
}
export interface NewFlashSale {
  skuId: number;
  priceFen: number;
  quantity: number;
  limitPerPerson?: number;
  durationS: number;
}
export interface NewCoupon {
  amountFen: number;
  minSpendFen: number;
  quantity: number;
  expiresInMin?: number;
}

export interface CouponClaim {
  id: number;
  couponId: number;
  orderId: number | null;
  claimedAt?: string;
}

export interface ChatMessage {
  id: number;
  accountId: number;
  name: string;
  body: string;
  at: string;
}

export interface OrderNote {
  name: string;
  skuId: number;
  title: string;
  quantity: number;
  at: string;
}

export type RoomMessage =
  | {
      type: 'hello';
      session?: LiveSession;
      pin: LivePin | null;
      flashSale: FlashSale | null;
      coupons?: LiveCoupon[];
      online?: number;
      cumulative?: number;
      likes?: number;
      /** The latest chat lines, oldest first. */
      chats?: Array<ChatMessage & { type?: 'chat' }>;
      you?: { accountId: number; moderator: boolean; muted: boolean } | null;
    }
  | { type: 'online'; online: number; cumulative: number }
  | ({ type: 'chat' } & ChatMessage)
  | { type: 'chat_removed'; id: number }
  | { type: 'likes'; total: number }
  | { type: 'pin'; pin: LivePin | null }
  | { type: 'flash'; flashSale: FlashSale }
  | { type: 'coupon'; coupon: LiveCoupon }
  | ({ type: 'order' } & OrderNote)
  | ({ type: 'stats' } & Partial<MinuteStats> & { online?: number })
  | { type: 'session'; session: LiveSession }
  | { type: 'error'; code: string; message: string; retryAfterMs?: number };
