// Wire shapes of live selling (docs/live.md): sessions, the bag, pins, flash sales, coupons,
// hosts and the replay. Times are ISO text: answers of idempotent calls are replayed verbatim.
import { z } from 'zod';
import { LIVE_LIMITS, TIMELINE_KINDS } from '../../modules/live';
import { trustParts } from './trust.schemas';

const isoText = z.string().describe('ISO 8601 time');
const positiveId = z.number().int().positive();
const fen = z.number().int().min(1).max(LIVE_LIMITS.maxPriceFen).describe('integer fen (分)');
const httpUrl = z.string().min(1).max(500);

export const sessionStatus = z.enum(['scheduled', 'live', 'ended', 'cancelled']);

export const liveSessionView = z.object({
  id: z.number(),
  hostAccountId: z.number(),
  regionId: z.number(),
  title: z.string(),
  coverUrl: z.string().nullable(),
  streamUrl: z.string().describe('HLS (.m3u8), MP4 or FLV from the streaming service'),
  recordingUrl: z.string().nullable(),
  scheduledAt: isoText,
  startedAt: isoText.nullable(),
  endedAt: isoText.nullable(),
  status: sessionStatus,
});

export const hostCard = z.object({ accountId: z.number(), displayName: z.string(), avatarUrl: z.string().nullable(), persona: z.string() });

export const bagItemView = z.object({
  skuId: z.number(),
  productId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  imageUrl: z.string().nullable(),
  position: z.number().int(),
  priceFen: z.number().int().nullable().describe('what a buyer pays now: the live price while live, the region’s shelf price after (null: not on that shelf)'),
  priceKind: z.enum(['live', 'normal']),
  livePriceFen: z.number().int(),
  normalPriceFen: z.number().int().nullable(),
  limitPerPerson: z.number().int().nullable().describe('the limit that applies now: the bag’s while live, the shelf’s daily one after'),
  allotted: z.number().int().describe('units moved from the central warehouse to the session'),
  available: z.number().int().describe('units to be had now'),
  onSale: z.boolean(),
});

export const pinView = z.object({ id: z.number(), sessionId: z.number(), skuId: z.number(), title: z.string(), startedAt: isoText, endedAt: isoText.nullable() });

export const flashSaleView = z.object({
  id: z.number(),
  sessionId: z.number(),
  skuId: z.number(),
  title: z.string(),
  priceFen: z.number().int(),
  quantity: z.number().int(),
  limitPerPerson: z.number().int(),
  startsAt: isoText,
  endsAt: isoText,
  status: z.enum(['open', 'sold_out', 'ended']),
  available: z.number().int(),
});

export const couponView = z.object({
  id: z.number(),
  sessionId: z.number(),
  amountFen: z.number().int(),
  minSpendFen: z.number().int(),
  quantity: z.number().int(),
  claimed: z.number().int(),
  remaining: z.number().int(),
  releasedAt: isoText,
  expiresAt: isoText,
});

export const claimView = z.object({ id: z.number(), couponId: z.number(), orderId: z.number().nullable(), claimedAt: isoText });

export const roomSnapshot = z.object({
  session: liveSessionView,
  host: hostCard,
  bag: z.array(bagItemView),
  pin: pinView.nullable(),
  flashSale: flashSaleView.nullable().describe('the sale not yet ended (open or sold out), if any'),
  coupons: z.array(couponView).describe('coupons not yet expired'),
});

export const sessionPage = roomSnapshot.extend({ myClaims: z.array(claimView).describe('the signed-in viewer’s claims of this session’s coupons') });

export const sessionCard = liveSessionView.extend({ host: hostCard, bagSize: z.number().int(), hostTrustScore: z.number().int().nullable().describe('the host’s trust score 0–100, null before its first computation') });

export const hostProfileView = hostCard.extend({
  regionId: z.number(),
  commissionBp: z.number().int(),
  followers: z.number().int(),
  following: z.boolean(),
  sessions: z.number().int().describe('sessions that went live'),
  live: z.boolean().describe('on air now'),
  trust: z.object({
    repeatBuyerBp: z.number().int().nullable().describe('buyers with ≥ 2 paid orders ÷ buyers, basis points'),
    afterSalesBp: z.number().int().nullable().describe('paid orders with an after-sales request ÷ paid orders'),
    onTimeDeliveryBp: z.number().int().nullable().describe('orders handed over within 72 h of payment ÷ handed over'),
    counts: z.object({
      buyers: z.number().int(),
      repeatBuyers: z.number().int(),
      paidOrders: z.number().int(),
      afterSalesOrders: z.number().int(),
      delivered: z.number().int(),
      deliveredOnTime: z.number().int(),
    }),
    score: z.number().int().nullable().describe('trust score 0–100 (docs/insights.md, last 30 days); null before its first computation'),
    parts: trustParts.nullable().describe('how the score came about, part by part'),
    computedAt: isoText.nullable(),
  }),
});

export const replayView = z.object({
  sessionId: z.number(),
  recordingUrl: z.string().nullable(),
  startedAt: isoText.nullable(),
  endedAt: isoText.nullable(),
  events: z.array(
    z.object({
      at: isoText,
      offsetS: z.number().int().describe('seconds from the start of the recording'),
      kind: z.enum(TIMELINE_KINDS),
      skuId: z.number().nullable(),
      title: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});

const bagItemInput = z.object({
  skuId: positiveId,
  livePriceFen: fen,
  limitPerPerson: z.number().int().min(1).max(999).nullable().optional(),
  allotted: z.number().int().min(0).max(LIVE_LIMITS.maxAllotted).describe('units moved from the region’s central warehouse'),
});

export const sessionCreate = z.object({
  title: z.string().min(1).max(60),
  scheduledAt: isoText,
  coverUrl: httpUrl.nullable().optional(),
  streamUrl: httpUrl,
  bag: z.array(bagItemInput).max(LIVE_LIMITS.maxBagItems),
});

export const sessionPatch = z.object({
  title: z.string().min(1).max(60).optional(),
  scheduledAt: isoText.optional(),
  coverUrl: httpUrl.nullable().optional(),
  streamUrl: httpUrl.optional(),
  recordingUrl: httpUrl.nullable().optional(),
});

export const bagItemCreate = bagItemInput;

export const flashSaleCreate = z.object({
  skuId: positiveId,
  priceFen: fen,
  quantity: z.number().int().min(1).max(LIVE_LIMITS.maxFlashQuantity),
  limitPerPerson: z.number().int().min(1).max(999).optional(),
  durationS: z.number().int().min(LIVE_LIMITS.flashMinDurationS).max(LIVE_LIMITS.flashMaxDurationS),
});

export const couponCreate = z.object({
  amountFen: fen,
  minSpendFen: z.number().int().min(0).max(LIVE_LIMITS.maxPriceFen),
  quantity: z.number().int().min(1).max(LIVE_LIMITS.maxCouponQuantity),
  expiresInMin: z.number().int().min(1).max(LIVE_LIMITS.maxCouponMinutes).optional(),
});

export const hostProfileInput = z.object({
  displayName: z.string().min(1).max(40),
  persona: z.string().max(500).optional(),
  avatarUrl: httpUrl.nullable().optional(),
  regionId: positiveId,
});
