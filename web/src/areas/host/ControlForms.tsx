// The control room's two small forms: start a flash sale on a bag item, release coupons.
// Prices are typed in yuan and sent in fen; both calls carry an Idempotency-Key (actions.ts).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BagItem, NewCoupon, NewFlashSale } from '../../api/live';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { blames, Field } from '../../components/Field';
import { errorField } from '../../components/errors';
import { useKeyedWrite } from './actions';

/** Durations the host picks from (the server takes 10 s … 30 min). */
export const FLASH_DURATIONS_S = [30, 60, 120, 180, 300, 600, 1800] as const;

function wholeIn(v: string, min: number, max: number): number | null {
  const n = Number(v);
  return v.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

export function FlashSaleForm({ sessionId, item, onDone }: { sessionId: number; item: BagItem; onDone: () => void }) {
  const { t } = useTranslation();
  const start = useKeyedWrite({ sessionId, onSuccess: onDone });
  const [price, setPrice] = useState(() => fenToYuanText(Math.max(1, Math.round((item.livePriceFen * 4) / 5))));
  const [quantity, setQuantity] = useState(String(Math.min(10, Math.max(1, item.available))));
  const [limit, setLimit] = useState('1');
  const [duration, setDuration] = useState<number>(60);
  const [bad, setBad] = useState<string | null>(null);
  const field = bad ?? errorField(start.error);
  return (
    <form
      className="host-inline-form"
      data-testid="host-flash-form"
      onSubmit={(e) => {
        e.preventDefault();
        const priceFen = parseYuanToFen(price);
        const qty = wholeIn(quantity, 1, 100_000);
        const lim = wholeIn(limit, 1, 999);
        if (priceFen === null || priceFen <= 0) return setBad('priceFen');
        if (qty === null) return setBad('quantity');
        if (lim === null) return setBad('limitPerPerson');
        setBad(null);
        const body: NewFlashSale = { skuId: item.skuId, priceFen, quantity: qty, limitPerPerson: lim, durationS: duration };
        start.mutate({ method: 'POST', path: `/host/sessions/${sessionId}/flash-sales`, body });
      }}
    >
      <h3 className="sub-title">{t('live.host.flashFor', { title: item.title })}</h3>
      <div className="host-form-row">
        <Field label={t('live.host.flashPrice')} hint={t('live.host.livePriceIs', { price: formatFen(item.livePriceFen) })} invalid={blames(field ?? undefined, 'priceFen')}>
          <input inputMode="decimal" value={price} data-testid="host-flash-price" onChange={(e) => setPrice(e.target.value)} />
        </Field>
        <Field label={t('live.host.flashQuantity')} hint={t('live.host.availableNow', { count: item.available })} invalid={blames(field ?? undefined, 'quantity')}>
          <input inputMode="numeric" value={quantity} data-testid="host-flash-qty" onChange={(e) => setQuantity(e.target.value)} />
        </Field>
        <Field label={t('live.host.limit')} invalid={blames(field ?? undefined, 'limitPerPerson')}>
          <input inputMode="numeric" value={limit} data-testid="host-flash-limit" onChange={(e) => setLimit(e.target.value)} />
        </Field>
        <Field label={t('live.host.duration')} invalid={blames(field ?? undefined, 'durationS')}>
          <select value={duration} data-testid="host-flash-duration" onChange={(e) => setDuration(Number(e.target.value))}>
            {FLASH_DURATIONS_S.map((d) => (
              <option key={d} value={d}>
                {d < 60 ? t('live.host.seconds', { count: d }) : t('live.host.minutes', { count: d / 60 })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorNote error={start.error} />
      <div className="host-actions">
        <button type="submit" className="btn btn-accent" data-testid="host-flash-start" disabled={start.isPending}>
          {t('live.host.startFlash')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {t('live.host.cancel')}
        </button>
      </div>
    </form>
  );
}

export function CouponForm({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('5');
  const [minSpend, setMinSpend] = useState('30');
  const [quantity, setQuantity] = useState('100');
  const [expires, setExpires] = useState('60');
  const [bad, setBad] = useState<string | null>(null);
  const release = useKeyedWrite({ sessionId });
  const field = bad ?? errorField(release.error);
  return (
    <form
      className="host-inline-form"
      data-testid="host-coupon-form"
      onSubmit={(e) => {
        e.preventDefault();
        const amountFen = parseYuanToFen(amount);
        const minSpendFen = parseYuanToFen(minSpend.trim() === '' ? '0' : minSpend);
        const qty = wholeIn(quantity, 1, 100_000);
        const mins = expires.trim() === '' ? undefined : wholeIn(expires, 1, 24 * 60);
        if (amountFen === null || amountFen <= 0) return setBad('amountFen');
        if (minSpendFen === null) return setBad('minSpendFen');
        if (qty === null) return setBad('quantity');
        if (mins === null) return setBad('expiresInMin');
        setBad(null);
        const body: NewCoupon = { amountFen, minSpendFen, quantity: qty, ...(mins !== undefined ? { expiresInMin: mins } : {}) };
        release.mutate({ method: 'POST', path: `/host/sessions/${sessionId}/coupons`, body });
      }}
    >
      <div className="host-form-row">
        <Field label={t('live.coupon.amount')} invalid={blames(field ?? undefined, 'amountFen')}>
          <input inputMode="decimal" value={amount} data-testid="host-coupon-amount" onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <Field label={t('live.coupon.minSpend')} invalid={blames(field ?? undefined, 'minSpendFen')}>
          <input inputMode="decimal" value={minSpend} data-testid="host-coupon-min" onChange={(e) => setMinSpend(e.target.value)} />
        </Field>
        <Field label={t('live.coupon.quantity')} invalid={blames(field ?? undefined, 'quantity')}>
          <input inputMode="numeric" value={quantity} data-testid="host-coupon-qty" onChange={(e) => setQuantity(e.target.value)} />
        </Field>
        <Field label={t('live.coupon.validMin')} invalid={blames(field ?? undefined, 'expiresInMin')}>
          <input inputMode="numeric" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </Field>
      </div>
      <ErrorNote error={release.error} />
      {release.isSuccess && (
        <p className="small muted" role="status">
          {t('live.coupon.released')}
        </p>
      )}
      <div className="host-actions">
        <button type="submit" className="btn btn-primary" data-testid="host-coupon-release" disabled={release.isPending}>
          {t('live.coupon.release')}
        </button>
      </div>
    </form>
  );
}
