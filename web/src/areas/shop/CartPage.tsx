import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatFen } from '../../api/money';
import { useCart } from './cart';
import { CartLines } from './CartLines';

export function CartPage() {
  const { t } = useTranslation();
  const cart = useCart();
  if (cart.lines.length === 0) {
    return (
      <section className="card empty-state">
        <h1 className="section-title">{t('cart.title')}</h1>
        <p className="muted">{t('cart.empty')}</p>
        <Link to="/shop" className="btn btn-primary">
          {t('cart.goShopping')}
        </Link>
      </section>
    );
  }
  return (
    <>
      <section className="card">
        <div className="card-head">
          <h1 className="section-title">{t('cart.title')}</h1>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => cart.clear()}>
            {t('cart.clear')}
          </button>
        </div>
        <CartLines cart={cart} />
      </section>
      <div className="sticky-bar">
        <div className="sticky-total">
          <span className="muted small">{t('cart.items', { count: cart.count })}</span>
          <span className="price" data-testid="cart-total">
            {formatFen(cart.totalFen)}
          </span>
        </div>
        <Link to="/shop/checkout" className="btn btn-accent" data-testid="go-checkout">
          {t('cart.checkout')}
        </Link>
      </div>
    </>
  );
}

/** Floating summary on the shelf once something is in the cart. */
export function CartBar() {
  const { t } = useTranslation();
  const cart = useCart();
  if (cart.count === 0) return null;
  return (
    <div className="sticky-bar">
      <div className="sticky-total">
        <span className="muted small">{t('cart.items', { count: cart.count })}</span>
        <span className="price">{formatFen(cart.totalFen)}</span>
      </div>
      <Link to="/shop/cart" className="btn btn-accent" data-testid="cart-bar">
        {t('cart.view')}
      </Link>
    </div>
  );
}
