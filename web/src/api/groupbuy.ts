// Group buying (社区团购) as the web app sees it: the contract in docs/groupbuy.md.
// Times are ISO strings, dates "YYYY-MM-DD" (China time), money integer fen.
import type { AfterSales, Order } from './commerce';
import type { ApplicationStatus, Campaign, Handoff, KpiWeek } from './fulfilment';
import type { TrustBadgeData } from './trust';

export interface PointSummary {
  id: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
}

export interface MyPickupPoint {
  pickupPoint: PointSummary | null;
  boundAt: string | null;
  switchesLeft: number;
  switchWindowDays: number;
}

export interface PointOption {
  pickupPoint: PointSummary;
  leaderName: string;
  distanceM: number;
  /** The point's trust score and its parts; null before the first computation. */
  trust: TrustBadgeData | null;
}

// The campaign's shape is shared with the operator's pages.
export type { ApplicationStatus, Campaign, CampaignItem, Handoff, KpiWeek } from './fulfilment';

export interface TodayCampaigns {
  restDay: { day: string; reason: string } | null;
  campaigns: Campaign[];
}

export interface RelayEntry {
  no: number;
  buyerName: string;
  paidAt: string;
  status: string;
  lines: Array<{ title: string; spec: string; quantity: number }>;
}

export interface Relay {
  pickupPoint: { id: number; name: string; address: string };
  leader: { accountId: number; displayName: string } | null;
  campaign: { id: number; title: string; cutoffAt: string; pickupDate: string } | null;
  entries: RelayEntry[];
  totals: { orders: number; items: number; gmvFen: number };
}

export interface ShareLink {
  code: string;
  targetType: string;
  targetId: number | null;
  actorType: 'leader' | 'host' | 'store' | null;
  actorId: number | null;
}

/** An order as GET /api/orders/:id answers it, with the group-buy fields. */
export type GroupOrder = Order & { campaignId?: number | null };

export interface PickupCode {
  code: string;
  qr: string;
  /** The order's number on its point's relay list (跟团号). */
  relayNo: number | null;
}

// ── leaders ───────────────────────────────────────────────────────────────────

export interface Application {
  id: number;
  accountId: number;
  realName: string;
  idCardLast4: string;
  communityId: number;
  pointName: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  capacity: number;
  status: ApplicationStatus;
  reason: string | null;
  decidedBy: number | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface ApplicationBody {
  realName: string;
  idCardNumber: string;
  communityId: number;
  pointName: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  capacity: number;
}

export interface LeaderOverview {
  accountId: number;
  realName: string;
  status: string;
  statusReason: string | null;
  level: { id: number; rank: number; name: string; bonusBp: number } | null;
  pickupPoint: PointSummary & { capacity: number; status: string; communityId: number; gridWarehouseId: number | null };
  kpis: KpiWeek[];
  residents: number;
  pickupUndoWindowS: number;
}

export interface LeaderOrder {
  orderId: number;
  relayNo: number;
  buyerName: string;
  status: string;
  totalFen: number;
  refundedFen: number;
  lines: Array<{ orderLineId: number; title: string; spec: string; quantity: number; refundedQuantity: number; pickedQuantity: number }>;
  pickedAt: string | null;
}

export interface Arrival {
  waveId: number;
  pickupDate: string;
  route: { id: number; name: string; driver: { accountId: number; displayName: string } | null } | null;
  lines: Array<{ skuId: number; title: string; spec: string; unit: string; expected: number }>;
  handoff: Handoff | null;
}

export interface ArrivalResult {
  handoff: Handoff;
  shortages: Array<{ skuId: number; title: string; missing: number; refunds: Array<{ orderId: number; refundId: number; quantity: number; amountFen: number }> }>;
}

export interface PickupCandidate {
  orderId: number;
  relayNo: number;
  buyerName: string;
  status: string;
  lines: Array<{ orderLineId: number; title: string; spec: string; quantity: number; refundedQuantity: number; pickedQuantity: number; remaining: number }>;
}

export interface PickupResult {
  /** A UUID: one scan may hand over several lines, undone together. */
  scanId: string;
  orderId: number;
  completed: boolean;
  lines: PickupCandidate['lines'];
}

/** GET /api/leader/after-sales: the after-sales view of the order API (relay fields if sent). */
export type LeaderAfterSales = AfterSales & { relayNo: number | null; buyerName: string | null };

/** "linli:pickup:<orderId>:<code>" → its parts; anything else → null. */
export function parsePickupQr(text: string): { orderId: number; code: string } | null {
  const m = /^linli:pickup:(\d+):(\d{6,8})$/.exec(text.trim());
  return m ? { orderId: Number(m[1]), code: m[2]! } : null;
}
