// The host page's trust figures (docs/live.md, Rules → Hosts): each rate beside the counts it
// was divided from, so a resident can tell "100 %" of 2 buyers from "100 %" of 2,000.
import type { HostProfile } from '../../../api/live.types';

export type TrustKey = 'repeatBuyers' | 'afterSales' | 'onTime';

export interface TrustFigure {
  key: TrustKey;
  /** Basis points as the server computed them; null when there is nothing to divide by yet. */
  bp: number | null;
  /** The numerator and denominator behind `bp`. */
  n: number;
  of: number;
}

/** The three figures in the order the page shows them, each with the counts behind it. */
export function trustFigures(trust: HostProfile['trust']): TrustFigure[] {
  const c = trust.counts;
  return [
    { key: 'repeatBuyers', bp: trust.repeatBuyerBp, n: c.repeatBuyers, of: c.buyers },
    { key: 'afterSales', bp: trust.afterSalesBp, n: c.afterSalesOrders, of: c.paidOrders },
    { key: 'onTime', bp: trust.onTimeDeliveryBp, n: c.deliveredOnTime, of: c.delivered },
  ];
}

/**
 * Basis points as a percentage: whole when it is one ("32%"), else to a tenth ("33.3%"); null
 * stays null so the page can say there is no figure yet rather than show a made-up 0 %.
 * Integer arithmetic, so 3250 bp is "32.5%" and never "32.49999%".
 */
export function formatPercent(bp: number | null): string | null {
  if (bp === null || !Number.isFinite(bp)) return null;
  const tenths = Math.round(bp / 10);
  const whole = Math.trunc(tenths / 10);
  const rest = Math.abs(tenths % 10);
  return rest === 0 ? `${whole}%` : `${whole}.${rest}%`;
}
