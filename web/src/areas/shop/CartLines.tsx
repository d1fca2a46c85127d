import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import { Stepper } from '../../components/Stepper';
import type { Cart } from './cart';

/** The cart's lines with steppers; `problems` puts a note under a line (sold out, over limit). */
export function CartLines({ cart, problems }: { cart: Cart; problems?: ReadonlyMap<number, string> }) {
  const { t } = useTranslation();
  return (
    <ul className="cart-lines">
      {cart.lines.map((l) => {
        const problem = problems?.get(l.skuId);
        return (
          <li key={l.skuId} className={`cart-line${problem ? ' has-problem' : ''}`} data-testid="cart-line">
            <div className="cart-thumb" aria-hidden="true">
              {Array.from(l.name)[0]}
            </div>
            <div className="cart-info">
              <div className="cart-name">{l.name}</div>
              <div className="muted small">
                {l.spec} · {formatFen(l.priceFen)}/{l.unit}
              </div>
              {problem && (
                <div className="line-problem" role="alert" data-testid="line-problem">
                  {problem}
                </div>
              )}
              <div className="cart-row">
                <span className="price price-small">{formatFen(l.priceFen * l.quantity)}</span>
                <Stepper
                  small
                  value={l.quantity}
                  label={`${l.name} ${l.spec}`}
                  onChange={(n) => cart.setQuantity(l.skuId, n)}
                  onBelowMin={() => cart.remove(l.skuId)}
                />
              </div>
            </div>
            <button type="button" className="icon-btn" aria-label={t('cart.remove')} title={t('cart.remove')} onClick={() => cart.remove(l.skuId)}>
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
