import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { AFTER_SALES_REASONS, type AfterSales, type AfterSalesReason, type Order } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { blames, Field } from '../../components/Field';
import { errorField } from '../../components/errors';
import { Stepper } from '../../components/Stepper';

const MAX_PHOTOS = 9;

/** The buyer asks for money back on some units: which, why, and photos (as links). */
export function AfterSalesForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const open = order.lines.filter((l) => l.quantity > l.refundedQuantity);
  const [picked, setPicked] = useState<Record<number, number>>({});
  const [reason, setReason] = useState<AfterSalesReason>('quality');
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = useMutation({
    mutationFn: (body: unknown) => post<AfterSales>(`/orders/${order.id}/after-sales`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['orders', order.id] });
      onDone();
    },
  });

  const lines = Object.entries(picked)
    .filter(([, q]) => q > 0)
    .map(([id, q]) => ({ orderLineId: Number(id), quantity: q }));
  // What the server will give back, by the same rule (floor of the line's share per unit).
  const estimate = lines.reduce((s, p) => {
    const l = order.lines.find((x) => x.id === p.orderLineId)!;
    const after = Math.floor((l.lineTotalFen * (l.refundedQuantity + p.quantity)) / l.quantity);
    return s + (l.refundedQuantity + p.quantity === l.quantity ? l.lineTotalFen : after) - l.refundedFen;
  }, 0);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const photoUrls = photos
      .split(/\s+/)
      .map((u) => u.trim())
      .filter(Boolean);
    if (lines.length === 0) return setLocalError(t('afterSales.pickLines'));
    if (photoUrls.length > MAX_PHOTOS) return setLocalError(t('afterSales.tooManyPhotos', { max: MAX_PHOTOS }));
    setLocalError(null);
    submit.mutate({ reason, lines, ...(description.trim() ? { description: description.trim() } : {}), ...(photoUrls.length ? { photoUrls } : {}) });
  };
  const field = errorField(submit.error);

  return (
    <form className="form-stack after-sales-form" onSubmit={onSubmit} data-testid="after-sales-form">
      <div className={`field${blames(field, 'lines') ? ' field-invalid' : ''}`}>
        <span className="field-label">{t('afterSales.whichLines')}</span>
        <ul className="plain-list">
          {open.map((l) => {
            const left = l.quantity - l.refundedQuantity;
            const q = picked[l.id] ?? 0;
            return (
              <li key={l.id} className="pick-line">
                <label className="check-label">
                  <input type="checkbox" checked={q > 0} onChange={(e) => setPicked((p) => ({ ...p, [l.id]: e.target.checked ? left : 0 }))} />
                  <span>
                    {l.title} <span className="muted small">{l.spec}</span>
                  </span>
                </label>
                {q > 0 && <Stepper small value={q} min={1} max={left} label={l.title} onChange={(n) => setPicked((p) => ({ ...p, [l.id]: n }))} />}
              </li>
            );
          })}
        </ul>
      </div>
      <Field label={t('afterSales.reasonLabel')} invalid={blames(field, 'reason')}>
        <select value={reason} onChange={(e) => setReason(e.target.value as AfterSalesReason)}>
          {AFTER_SALES_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`afterSales.reason.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('afterSales.description')} invalid={blames(field, 'description')}>
        <textarea rows={3} maxLength={500} value={description} placeholder={t('afterSales.descriptionHint')} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field label={t('afterSales.photos')} hint={t('afterSales.photosHint', { max: MAX_PHOTOS })} invalid={blames(field, 'photoUrls')}>
        <textarea rows={2} value={photos} placeholder="https://…" onChange={(e) => setPhotos(e.target.value)} />
      </Field>
      {lines.length > 0 && <div className="muted small">{t('afterSales.estimate', { amount: formatFen(estimate) })}</div>}
      {localError && <div className="line-problem">{localError}</div>}
      <ErrorNote error={submit.error} />
      <div className="form-actions-row">
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {t('admin.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
          {submit.isPending ? t('afterSales.submitting') : t('afterSales.submit')}
        </button>
      </div>
    </form>
  );
}
