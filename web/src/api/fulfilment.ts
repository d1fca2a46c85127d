// Shapes of the group-buy operator, warehouse and driver API (docs/groupbuy.md), plus the few
// helpers those pages share: idempotent posts, authenticated CSV downloads, China dates.
import { useRef } from 'react';
import { api, ApiError, apiUrl, getToken } from './client';
import { newIdempotencyKey } from './commerce';

// ── campaigns ─────────────────────────────────────────────────────────────────
export type CampaignStatus = 'draft' | 'published' | 'cut_off' | 'cancelled';

export interface CampaignItem {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  basePriceFen: number;
  groupPriceFen: number;
  limitPerPerson: number | null;
  stock: number;
  sold: number;
  available: number;
  leaderOnly: boolean;
  leaderCommissionBp: number | null;
}

export interface Campaign {
  id: number;
  regionId: number;
  title: string;
  status: CampaignStatus;
  startsAt: string;
  cutoffAt: string;
  pickupDate: string;
  leaderCommissionBp: number;
  createdAt: string;
  items: CampaignItem[];
  figures: { orders: number; buyers: number; gmvFen: number };
}

export interface CampaignItemInput {
  skuId: number;
  groupPriceFen: number;
  limitPerPerson?: number | null;
  stock: number;
  leaderOnly?: boolean;
  leaderCommissionBp?: number | null;
}

export interface CampaignInput {
  regionId: number;
  title: string;
  startsAt: string;
  cutoffAt: string;
  pickupDate: string;
  leaderCommissionBp?: number;
  items: CampaignItemInput[];
}

export interface RestDay {
  day: string;
  reason: string;
}

/** GET /api/regions/:id/skus: a region's assortment. */
export interface RegionSku {
  regionId: number;
  skuId: number;
  productId: number;
  productName: string;
  spec: string;
  unit: string;
  barcode: string | null;
  basePriceFen: number;
  priceFen: number | null;
  effectivePriceFen: number;
  active: boolean;
}

// ── leaders ───────────────────────────────────────────────────────────────────
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export type LeaderStatus = 'active' | 'warned' | 'suspended';
export type KpiVerdict = 'ok' | 'warning' | 'suspended';

export interface LeaderApplication {
  id: number;
  accountId: number;
  realName: string;
  idCardLast4?: string;
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
  decidedAt?: string | null;
  pickupPointId: number | null;
  createdAt: string;
  applicant?: { displayName: string; phone: string };
}

export interface KpiWeek {
  weekStart: string;
  orders: number;
  itemsSold: number;
  gmvFen: number;
  pickupsDue: number;
  pickupsOnTime: number;
  complaints: number;
  onTimeBp: number;
  complaintBp: number;
  verdict: KpiVerdict;
  reasons: string[];
}

export interface LeaderLevel {
  id?: number;
  rank: number;
  name: string;
  minWeeklyItems: number;
  bonusBp: number;
}

export interface LeaderRow {
  accountId: number;
  realName: string;
  displayName: string;
  phone: string;
  status: LeaderStatus;
  statusReason: string | null;
  warningsInRow: number;
  level: { id: number; rank: number; name: string; bonusBp: number } | null;
  pickupPoint: { id: number; name: string };
  lastWeek: KpiWeek | null;
}

export interface KpiRunResult {
  weekStart: string;
  leaders: number;
  warnings: number;
  suspended: number;
}

export interface GroupbuySettings {
  regionId: number;
  inherited: boolean;
  bindingSwitchLimit: number;
  bindingSwitchDays: number;
  pickupUndoWindowS: number;
  kpiMinOnTimeBp: number;
  kpiMaxComplaintBp: number;
  kpiSuspendAfterWarnings: number;
  vanCapacityCrates: number;
  itemsPerCrate: number;
}

// ── the wave ──────────────────────────────────────────────────────────────────
export type WaveStatus = 'planned' | 'receiving' | 'dispatched' | 'delivered';
export type RouteStatus = 'planned' | 'dispatched' | 'delivered';

export interface WaveSummary {
  id: number;
  regionId: number;
  pickupDate: string;
  status: WaveStatus;
  campaignIds: number[];
  orders: number;
  items: number;
  purchaseOrders: number;
  sortLines: number;
  routes: number;
  stops: number;
  routePlanner: string;
  timings: { freezeMs: number; purchaseMs: number; sortMs: number; routeMs: number; totalMs: number };
  createdAt: string;
}

export interface PurchaseOrderLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
  receivedQuantity: number | null;
  damagedQuantity: number | null;
}

export interface PurchaseOrder {
  id: number;
  supplier: { id: number; name: string } | null;
  centralWarehouse: { id: number; name: string };
  status: 'open' | 'received';
  lines: PurchaseOrderLine[];
}

export interface SortLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
  orders: number;
}

export interface SortingGroup {
  gridWarehouse: { id: number; name: string };
  routes: Array<{
    routeId: number;
    seq: number;
    stops: Array<{ seq: number; pickupPoint: { id: number; name: string; address: string }; lines: SortLine[] }>;
  }>;
}

export interface RouteStop {
  seq: number;
  pickupPoint: { id: number; name: string; address: string; lat: number; lng: number };
  crates: number;
  items: number;
  orders: number;
}

export interface RouteView {
  id: number;
  waveId: number;
  seq: number;
  name: string;
  gridWarehouse: { id: number; name: string; lat: number; lng: number };
  capacityCrates: number;
  loadCrates: number;
  distanceM: number;
  status: RouteStatus;
  driver: { accountId: number; displayName: string } | null;
  stops: RouteStop[];
}

export interface ManifestLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
}

export type Manifest = Omit<RouteView, 'stops'> & { stops: Array<RouteStop & { lines: ManifestLine[] }> };

// ── hand-offs ─────────────────────────────────────────────────────────────────
export interface Handoff {
  id: number;
  waveId: number;
  kind: 'central_receipt' | 'grid_receipt' | 'point_arrival';
  purchaseOrderId: number | null;
  gridWarehouseId: number | null;
  pickupPointId: number | null;
  signedBy: number;
  signedAt: string;
  note: string;
  lines: Array<{ skuId: number; title: string; expected: number; received: number; damaged: number; missing: number }>;
}

/** GET /api/admin/supplier-incidents (src/http/routes/handoffs.ts). */
export interface SupplierIncident {
  id: number;
  supplier: { id: number; name: string } | null;
  waveId: number;
  handoffId: number;
  handoffKind: Handoff['kind'];
  pickupPointId: number | null;
  skuId: number;
  title: string;
  spec: string;
  kind: 'shortage' | 'damage';
  quantity: number;
  createdAt: string;
}

// ── helpers ───────────────────────────────────────────────────────────────────

/**
 * A POST that carries an Idempotency-Key. The key is kept for a retry of the same body after a
 * lost answer (network error or 5xx), and dropped once the server has said yes or no.
 */
export function useIdempotentPost() {
  const attempt = useRef<{ path: string; body: string; key: string } | null>(null);
  return async function send<T>(path: string, body: unknown = {}): Promise<T> {
    const json = JSON.stringify(body);
    if (attempt.current?.path !== path || attempt.current.body !== json) attempt.current = { path, body: json, key: newIdempotencyKey() };
    try {
      const res = await api<T>(path, { method: 'POST', body, headers: { 'Idempotency-Key': attempt.current.key } });
      attempt.current = null;
      return res;
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
      throw e;
    }
  };
}

/** CSV exports need the bearer token, so a plain link will not do: fetch, then save the blob. */
export async function downloadWithAuth(path: string, query: Record<string, string | number | undefined>, filename: string): Promise<void> {
  const token = getToken();
  const res = await fetch(apiUrl(path, query), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, res.status === 404 ? 'not_found' : 'internal', res.statusText);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Today as YYYY-MM-DD in China time: pickup dates and waves are China calendar days. */
export function chinaToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** 1234 bp → "12.34%". */
export function formatBp(bp: number): string {
  const s = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
  return `${s}%`;
}

/** "12.5" (percent) → 1250 bp; null for anything but 0–100 with at most two decimals. */
export function parsePercentToBp(input: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(input.trim().replace(/%$/, ''));
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** bp → the percent text an input starts with ("12.5"). */
export const bpToPercentText = (bp: number) => formatBp(bp).replace('%', '');

/** "2026-05-04T09:30:00Z" → "2026-05-04T17:30" for a datetime-local input (the viewer's zone). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value back to ISO; empty for an incomplete input. */
export function fromLocalInput(v: string): string {
  const d = new Date(v);
  return v && !Number.isNaN(d.getTime()) ? d.toISOString() : '';
}
