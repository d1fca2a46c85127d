import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import type { ShopProduct } from '../../api/types';
import { Stepper } from '../../components/Stepper';
import { useCart } from './cart';

// A stable tint per category so a list without photos still has some rhythm.
const TINTS = ['#fff3e0', '#e8f5e9', '#e3f2fd', '#fce4ec', '#f3e5f5', '#fffde7', '#e0f2f1'];

export function ProductCard({ product }: { product: ShopProduct }) {
  const { t } = useTranslation();
  const [skuIdx, setSkuIdx] = useState(0);
  const sku = product.skus[skuIdx] ?? product.skus[0];
  const cart = useCart();
  const inCart = sku ? cart.quantityOf(sku.skuId) : 0;
  const tint = TINTS[product.categoryId % TINTS.length];
  return (
    <li className="product-card" data-testid="product-card">
      <div className="product-thumb" style={{ background: tint }}>
        {product.imageUrl ? (
          <img src={product.imageUrl} alt="" loading="lazy" />
        ) : (
          <span aria-hidden="true">{Array.from(product.name)[0]}</span>
        )}
      </div>
      <div className="product-body">
        <div className="product-cat small">{product.categoryName}</div>
        <h3 className="product-name">{product.name}</h3>
        {product.description && <p className="product-desc small">{product.description}</p>}
        {product.skus.length > 1 && (
          <div className="sku-pills" aria-label={t('shop.skuCount', { count: product.skus.length })}>
            {product.skus.map((s, i) => (
              <button
                key={s.skuId}
                type="button"
                className={`sku-pill${i === skuIdx ? ' is-active' : ''}`}
                onClick={() => setSkuIdx(i)}
              >
                {s.spec}
              </button>
            ))}
          </div>
        )}
        {sku && (
          <div className="product-price-row">
            <span className="price" data-testid="price">
              {formatFen(sku.priceFen)}
            </span>
            <span className="muted small">
              /{product.skus.length > 1 ? sku.unit : `${sku.spec} · ${sku.unit}`}
            </span>
            {sku.basePriceFen > sku.priceFen && (
              <s className="price-was small" title={t('shop.originalPrice')}>
                {formatFen(sku.basePriceFen)}
              </s>
            )}
            <span className="product-cart">
              {inCart > 0 ? (
                <Stepper
                  small
                  value={inCart}
                  label={`${product.name} ${sku.spec}`}
                  onChange={(n) => cart.setQuantity(sku.skuId, n)}
                  onBelowMin={() => cart.remove(sku.skuId)}
                />
              ) : (
                <button
                  type="button"
                  className="add-btn"
                  data-testid="add-to-cart"
                  aria-label={t('cart.addNamed', { name: `${product.name} ${sku.spec}` })}
                  onClick={() =>
                    cart.add({ skuId: sku.skuId, productId: product.productId, name: product.name, spec: sku.spec, unit: sku.unit, priceFen: sku.priceFen })
                  }
                >
                  +
                </button>
              )}
            </span>
          </div>
        )}
      </div>
    </li>
  );
}
