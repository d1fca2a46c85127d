import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, post } from '../../api/client';
import { fenToYuanText, parseYuanToFen } from '../../api/money';
import type { Product, Sku } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { blames } from '../../components/Field';
import { errorField } from '../../components/errors';
import { FormError } from './form';

/** One SKU line as typed: the price stays yuan text until it is parsed exactly on save. */
export interface SkuRow {
  key: number;
  spec: string;
  unit: string;
  barcode: string;
  price: string;
}

let nextKey = 1;
export function newSkuRow(from?: Sku): SkuRow {
  return {
    key: nextKey++,
    spec: from?.spec ?? '',
    unit: from?.unit ?? '',
    barcode: from?.barcode ?? '',
    price: from ? fenToYuanText(from.basePriceFen) : '',
  };
}

/** Turn typed rows into API bodies, naming the offending field the way the server would. */
function rowToBody(r: SkuRow, prefix: string) {
  if (!r.spec.trim()) throw new FormError(`${prefix}spec`, 'errors.required');
  if (!r.unit.trim()) throw new FormError(`${prefix}unit`, 'errors.required');
  const fen = parseYuanToFen(r.price);
  if (fen === null || fen <= 0) throw new FormError(`${prefix}basePriceFen`, 'errors.invalidYuan');
  return {
    spec: r.spec.trim(),
    unit: r.unit.trim(),
    ...(r.barcode.trim() ? { barcode: r.barcode.trim() } : {}),
    basePriceFen: fen,
  };
}

/** Column captions over the SKU inputs (placeholders vanish once a value is typed). */
function SkuHead() {
  const { t } = useTranslation();
  return (
    <div className="sku-line sku-head" aria-hidden="true">
      <span>{t('admin.fields.spec')}</span>
      <span>{t('admin.fields.unit')}</span>
      <span>{t('admin.fields.barcode')}</span>
      <span>{t('admin.fields.basePriceYuan')}</span>
      <span />
    </div>
  );
}

export function skuRowsToBodies(rows: SkuRow[]) {
  return rows.map((r, i) => rowToBody(r, `skus.${i}.`));
}

function SkuInputs({
  row,
  onChange,
  blamed,
  prefix,
}: {
  row: SkuRow;
  onChange: (r: SkuRow) => void;
  blamed: string | undefined;
  prefix: string;
}) {
  const { t } = useTranslation();
  const cell = (name: 'spec' | 'unit' | 'barcode' | 'price', label: string, field: string, extra = {}) => (
    <input
      aria-label={label}
      placeholder={label}
      className={blames(blamed, `${prefix}${field}`) ? 'is-invalid' : undefined}
      value={row[name]}
      onChange={(e) => onChange({ ...row, [name]: e.target.value })}
      {...extra}
    />
  );
  return (
    <>
      {cell('spec', t('admin.fields.spec'), 'spec')}
      {cell('unit', t('admin.fields.unit'), 'unit')}
      {cell('barcode', t('admin.fields.barcode'), 'barcode')}
      {cell('price', t('admin.fields.basePriceYuan'), 'basePriceFen', { inputMode: 'decimal' })}
    </>
  );
}

/** SKUs typed alongside a new product (sent in the same POST). */
export function SkuEditor({
  rows,
  onChange,
  blamed,
}: {
  rows: SkuRow[];
  onChange: (rows: SkuRow[]) => void;
  blamed: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="sku-editor">
      <legend>{t('admin.fields.skus')}</legend>
      <p className="muted small">{t('admin.sku.hint')}</p>
      <SkuHead />
      {rows.map((r, i) => (
        <div className="sku-line" key={r.key}>
          <SkuInputs row={r} prefix={`skus.${i}.`} blamed={blamed} onChange={(nr) => onChange(rows.map((x) => (x.key === r.key ? nr : x)))} />
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={rows.length === 1}
            onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
          >
            {t('admin.sku.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange([...rows, newSkuRow()])}>
        + {t('admin.sku.add')}
      </button>
    </fieldset>
  );
}

/** SKUs of an existing product: each line saves on its own (PATCH /skus/:id), new ones POST. */
export function ExistingSkus({ productId }: { productId: number }) {
  const { t } = useTranslation();
  const product = useQuery({
    queryKey: ['admin', 'products', productId],
    queryFn: ({ signal }) => get<Product>(`/products/${productId}`, undefined, signal),
  });
  const [draft, setDraft] = useState<SkuRow | null>(null);
  const [draftError, setDraftError] = useState<unknown>(null);
  const qc = useQueryClient();

  async function addSku() {
    if (!draft) return;
    setDraftError(null);
    try {
      await post(`/products/${productId}/skus`, rowToBody(draft, ''));
      setDraft(null);
      await qc.invalidateQueries({ queryKey: ['admin', 'products'] });
    } catch (err) {
      setDraftError(err);
    }
  }

  return (
    <fieldset className="sku-editor">
      <legend>{t('admin.sku.existing')}</legend>
      <p className="muted small">{t('admin.sku.hint')}</p>
      <SkuHead />
      {product.isPending ? (
        <Loading />
      ) : product.error ? (
        <ErrorNote error={product.error} />
      ) : (
        (product.data.skus ?? []).map((s) => <ExistingSkuLine key={s.id} sku={s} />)
      )}
      {draft ? (
        <>
          <div className="sku-line">
            <SkuInputs row={draft} prefix="" blamed={draftError instanceof FormError ? draftError.field : errorField(draftError)} onChange={setDraft} />
            <button type="button" className="btn btn-primary btn-small" onClick={() => void addSku()}>
              {t('admin.sku.saveSku')}
            </button>
          </div>
          <SkuError error={draftError} />
        </>
      ) : (
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setDraft(newSkuRow())}>
          + {t('admin.sku.add')}
        </button>
      )}
    </fieldset>
  );
}

function ExistingSkuLine({ sku }: { sku: Sku }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [row, setRow] = useState(() => newSkuRow(sku));
  const [orig] = useState(row);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const dirty = row.spec !== orig.spec || row.unit !== orig.unit || row.barcode !== orig.barcode || row.price !== orig.price;

  async function save() {
    setError(null);
    setSaved(false);
    try {
      const full = rowToBody(row, '');
      // Only what changed, so an untouched barcode is not re-checked for uniqueness.
      const body: Record<string, unknown> = {};
      if (row.spec !== orig.spec) body.spec = full.spec;
      if (row.unit !== orig.unit) body.unit = full.unit;
      if (row.barcode !== orig.barcode) body.barcode = row.barcode.trim() || null;
      if (row.price !== orig.price) body.basePriceFen = full.basePriceFen;
      await patch(`/skus/${sku.id}`, body);
      setSaved(true);
      await qc.invalidateQueries({ queryKey: ['admin', 'products'] });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <div className="sku-line">
        <SkuInputs row={row} prefix="" blamed={error instanceof FormError ? error.field : errorField(error)} onChange={setRow} />
        <button type="button" className="btn btn-secondary btn-small" disabled={!dirty} onClick={() => void save()}>
          {saved && !dirty ? `✓ ${t('admin.saved')}` : t('admin.save')}
        </button>
      </div>
      <SkuError error={error} />
    </>
  );
}

function SkuError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof FormError) {
    return (
      <div className="error-note" role="alert">
        {t(`admin.fields.${error.field.endsWith('basePriceFen') ? 'basePriceYuan' : (error.field.split('.').pop() ?? '')}`)}: {t(error.key)}
      </div>
    );
  }
  return <ErrorNote error={error} />;
}
