// Wire shapes of campaigns, rest days, today's list and the relay list (see ./campaigns.ts).
// Times are ISO text: the publish answer is stored and replayed verbatim for retries.
import { z } from 'zod';
import { MAX_PRICE_FEN } from '../../modules/catalog';
import { CAMPAIGN_LIMITS } from '../../modules/groupbuy';
import { ORDER_STATUSES } from '../../modules/orders';

const isoText = z.string().describe('ISO 8601 time');
const positiveId = z.number().int().positive();
const bp = z.number().int().min(0).max(CAMPAIGN_LIMITS.maxBp).describe('basis points of the line total (1000 = 10%)');
export const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD').describe('China-time day, YYYY-MM-DD');
export const campaignStatus = z.enum(['draft', 'published', 'cut_off', 'cancelled']);

const itemInput = z.object({
  skuId: positiveId,
  groupPriceFen: z.number().int().positive().max(MAX_PRICE_FEN).describe('the group price, integer fen'),
  limitPerPerson: z.number().int().min(1).max(CAMPAIGN_LIMITS.maxLimitPerPerson).nullable().optional().describe('units one buyer may have in this campaign; null = no limit'),
  stock: z.number().int().min(0).max(CAMPAIGN_LIMITS.maxStock).describe('units on offer, put on the campaign’s stock at publishing'),
  leaderOnly: z.boolean().optional().describe('团长专享: only leaders may buy it'),
  leaderCommissionBp: bp.nullable().optional().describe('overrides the campaign’s leader rate for this SKU'),
});

export const campaignCreate = z.object({
  regionId: positiveId,
  title: z.string().trim().min(1).max(64),
  startsAt: z.iso.datetime({ offset: true }),
  cutoffAt: z.iso.datetime({ offset: true }).describe('截单: orders close at this time'),
  pickupDate: dayText.describe('the China-time day residents collect (on or after the cutoff’s day)'),
  leaderCommissionBp: bp.optional().describe('the leader’s commission on this campaign’s sales (default 1000)'),
  items: z.array(itemInput).min(1).max(CAMPAIGN_LIMITS.maxItems),
});

export const campaignPatch = campaignCreate.partial();

export const campaignItemView = z.object({
  skuId: z.number(),
  productId: z.number(),
  title: z.string(),
  spec: z.string(),
  unit: z.string(),
  imageUrl: z.string().nullable(),
  basePriceFen: z.number().int(),
  groupPriceFen: z.number().int(),
  limitPerPerson: z.number().int().nullable(),
  stock: z.number().int(),
  sold: z.number().int().describe('units paid for, less units refunded'),
  available: z.number().int().describe('units still to be had'),
  leaderOnly: z.boolean(),
  leaderCommissionBp: z.number().int().nullable(),
});

export const campaignView = z.object({
  id: z.number(),
  regionId: z.number(),
  title: z.string(),
  status: campaignStatus,
  startsAt: isoText,
  cutoffAt: isoText,
  pickupDate: z.string(),
  leaderCommissionBp: z.number().int(),
  createdAt: isoText,
  items: z.array(campaignItemView),
  figures: z.object({ orders: z.number().int(), buyers: z.number().int(), gmvFen: z.number().int() }),
});

export const restDay = z.object({ day: z.string(), reason: z.string() });

export const todayView = z.object({ restDay: restDay.nullable(), campaigns: z.array(campaignView) });

export const relayView = z.object({
  pickupPoint: z.object({ id: z.number(), name: z.string(), address: z.string() }),
  leader: z.object({ accountId: z.number(), displayName: z.string() }).nullable(),
  campaign: z.object({ id: z.number(), title: z.string(), cutoffAt: isoText, pickupDate: z.string() }).nullable(),
  entries: z.array(
    z.object({
      no: z.number().int().describe('跟团号: the order’s place among the point’s paid orders of the campaign'),
      buyerName: z.string().describe('masked: 张*'),
      paidAt: isoText,
      status: z.enum(ORDER_STATUSES),
      lines: z.array(z.object({ title: z.string(), spec: z.string(), quantity: z.number().int() })),
    }),
  ),
  totals: z.object({ orders: z.number().int(), items: z.number().int(), gmvFen: z.number().int() }),
});
