import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { patch, post } from '../../api/client';
import type { Product } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { errorField } from '../../components/errors';
import { FieldInput } from './FieldInput';
import { FormError, buildBody, initialValues } from './form';
import type { ResourceDef } from './resources';
import { ExistingSkus, SkuEditor, newSkuRow, skuRowsToBodies, type SkuRow } from './SkuEditor';

type Row = Record<string, unknown> & { id: number };

export function ResourceForm({ def, row, onDone }: { def: ResourceDef; row: Row | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [original] = useState(() => (row ? initialValues(def.fields, row) : null));
  const [values, setValues] = useState(() => initialValues(def.fields, row, def.defaults));
  const [skuRows, setSkuRows] = useState<SkuRow[]>(() => [newSkuRow()]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isProduct = def.key === 'products';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const body = buildBody(def.fields, values, original);
      if (row) {
        if (Object.keys(body).length > 0) await patch(`${def.path}/${row.id}`, body);
      } else if (isProduct) {
        // A product is created together with its first SKUs so it is never sellable-less.
        const skus = skuRowsToBodies(skuRows);
        await post<Product>(def.path, { ...body, skus });
      } else {
        await post(def.path, body);
      }
      await qc.invalidateQueries({ queryKey: ['admin', def.key] });
      await qc.invalidateQueries({ queryKey: ['ref-options'] });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const blamed = error instanceof FormError ? error.field : errorField(error);
  return (
    <>
    <form className="resource-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        {def.fields.map((f) => (
          <FieldInput
            key={f.name}
            def={f}
            value={values[f.name] ?? ''}
            disabled={!!row && f.createOnly}
            blamed={blamed}
            onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))}
          />
        ))}
      </div>
      {isProduct && !row && <SkuEditor rows={skuRows} onChange={setSkuRows} blamed={blamed} />}
      {error instanceof FormError ? (
        <div className="error-note" role="alert">
          <strong>
            {t(`admin.fields.${error.field.split('.').pop() ?? error.field}`, { defaultValue: error.field })}: {t(error.key)}
          </strong>
        </div>
      ) : (
        <ErrorNote error={error} />
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {t('admin.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
    {/* Outside the product form: each SKU saves on its own, and forms must not nest. */}
    {isProduct && row && <ExistingSkus productId={row.id} />}
    </>
  );
}
