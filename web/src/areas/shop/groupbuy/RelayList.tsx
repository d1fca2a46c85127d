import { useTranslation } from 'react-i18next';
import type { Relay } from '../../../api/groupbuy';
import { formatFen } from '../../../api/money';
import { formatTime } from '../../../components/time';

/** The numbered entries of a relay list, the way a chat-group 接龙 reads: "1. 张* 西红柿×2". */
export function RelayEntries({ relay }: { relay: Relay }) {
  const { t } = useTranslation();
  if (relay.entries.length === 0) return <p className="muted small empty">{t('groupbuy.relayEmpty')}</p>;
  return (
    <ol className="relay-list" data-testid="relay-list">
      {relay.entries.map((e) => {
        const refunded = e.status === 'refunded' || e.status === 'cancelled';
        return (
          <li key={e.no} className={`relay-entry${refunded ? ' is-refunded' : ''}`} data-testid="relay-entry" data-status={e.status}>
            <span className="relay-no">{e.no}.</span>
            <span className="relay-body">
              <span className="relay-name">{e.buyerName}</span>{' '}
              {e.lines.map((l) => `${l.title}${l.spec ? `(${l.spec})` : ''}×${l.quantity}`).join('，')}
              <span className="relay-time muted">{formatTime(e.paidAt).slice(11)}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function RelayTotals({ relay }: { relay: Relay }) {
  const { t } = useTranslation();
  return (
    <div className="relay-totals" data-testid="relay-totals">
      <div>
        <strong>{relay.totals.orders}</strong>
        <span>{t('groupbuy.totalsOrders')}</span>
      </div>
      <div>
        <strong>{relay.totals.items}</strong>
        <span>{t('groupbuy.totalsItems')}</span>
      </div>
      <div>
        <strong>{formatFen(relay.totals.gmvFen)}</strong>
        <span>{t('groupbuy.totalsGmv')}</span>
      </div>
    </div>
  );
}

/** Top items of a relay by units, for the poster: "西红柿 ×12". */
export function topItems(relay: Relay, n = 5): string[] {
  const units = new Map<string, number>();
  for (const e of relay.entries) {
    if (e.status === 'refunded' || e.status === 'cancelled') continue;
    for (const l of e.lines) units.set(l.title, (units.get(l.title) ?? 0) + l.quantity);
  }
  return [...units.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([title, q]) => `${title} ×${q}`);
}
