// The wave's documents shared by the operator and the warehouse: purchase orders (read-only, or
// with a receipt form per order) and the sorting list by grid warehouse.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { downloadWithAuth, useIdempotentPost, type Handoff, type PurchaseOrder, type SortingGroup } from '../../api/fulfilment';
import { ErrorNote, Loading } from '../ErrorNote';
import { PrintButton, SortingSheets } from './PrintSheets';

export function CsvButton({ path, query = {}, filename, testId }: { path: string; query?: Record<string, string | number | undefined>; filename: string; testId?: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="no-print">
      <button
        type="button"
        className="btn btn-ghost btn-small"
        disabled={busy}
        data-testid={testId}
        onClick={() => {
          setBusy(true);
          setError(null);
          downloadWithAuth(path, query, filename)
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        {t('fulfil.csv')}
      </button>
      <ErrorNote error={error} />
    </span>
  );
}

export function usePurchaseOrders(waveId: number) {
  return useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'pos'],
    queryFn: ({ signal }) => get<PurchaseOrder[]>(`/admin/waves/${waveId}/purchase-orders`, undefined, signal),
  });
}

export function PurchaseOrdersPanel({ waveId, receiving }: { waveId: number; receiving: boolean }) {
  const { t } = useTranslation();
  const pos = usePurchaseOrders(waveId);
  if (pos.isPending) return <Loading />;
  if (pos.error) return <ErrorNote error={pos.error} onRetry={() => void pos.refetch()} />;
  return (
    <div className="po-panel">
      <div className="panel-tools">
        <span className="muted small">{t('fulfil.po.count', { count: pos.data.length })}</span>
        <CsvButton path={`/admin/waves/${waveId}/purchase-orders.csv`} filename={`wave-${waveId}-purchase-orders.csv`} testId="po-csv" />
      </div>
      {pos.data.length === 0 && <p className="muted empty">{t('fulfil.po.none')}</p>}
      {pos.data.map((po) => (receiving && po.status === 'open' ? <ReceiptForm key={po.id} po={po} waveId={waveId} /> : <PoCard key={po.id} po={po} />))}
    </div>
  );
}

function PoHead({ po }: { po: PurchaseOrder }) {
  const { t } = useTranslation();
  return (
    <div className="po-head">
      <strong>
        {t('fulfil.po.title', { id: po.id })} · {po.supplier?.name ?? t('fulfil.po.noSupplier')}
      </strong>
      <span className="muted small">
        {t('fulfil.po.to', { name: po.centralWarehouse.name })} · {t('fulfil.po.lines', { count: po.lines.length })}
      </span>
      <span className={`status po-status-${po.status}`}>{t(`fulfil.poStatus.${po.status}`)}</span>
    </div>
  );
}

function PoCard({ po }: { po: PurchaseOrder }) {
  const { t } = useTranslation();
  return (
    <div className="card po-card" data-testid={`po-${po.id}`}>
      <PoHead po={po} />
      <table className="data-table compact">
        <thead>
          <tr>
            <th>{t('fulfil.item')}</th>
            <th>{t('fulfil.spec')}</th>
            <th className="num">{t('fulfil.po.ordered')}</th>
            <th className="num">{t('fulfil.po.received')}</th>
            <th className="num">{t('fulfil.po.damaged')}</th>
          </tr>
        </thead>
        <tbody>
          {po.lines.map((l) => (
            <tr key={l.skuId}>
              <td>{l.title}</td>
              <td>{l.spec}</td>
              <td className="num">
                {l.quantity} {l.unit}
              </td>
              <td className={`num${l.receivedQuantity !== null && l.receivedQuantity < l.quantity ? ' is-short' : ''}`}>{l.receivedQuantity ?? '—'}</td>
              <td className={`num${l.damagedQuantity ? ' is-short' : ''}`}>{l.damagedQuantity ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Count what arrived against the purchase order; shortages and damage become supplier incidents. */
function ReceiptForm({ po, waveId }: { po: PurchaseOrder; waveId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  return (
    <CountForm
      head={<PoHead po={po} />}
      lines={po.lines.map((l) => ({ skuId: l.skuId, title: l.title, spec: l.spec, unit: l.unit, expected: l.quantity }))}
      testId={`receipt-${po.id}`}
      signedNote={(h) => t('fulfil.po.signed', { missing: h.lines.reduce((n, l) => n + l.missing, 0), damaged: h.lines.reduce((n, l) => n + l.damaged, 0) })}
      submit={(lines, note) => send<Handoff>(`/purchase-orders/${po.id}/receipt`, { lines, ...(note ? { note } : {}) })}
      onDone={() => void qc.invalidateQueries({ queryKey: ['fulfil', 'wave', waveId] })}
    />
  );
}

export interface CountLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  expected: number;
}

/**
 * A hand-off count: per SKU what was sent, with inputs for the good and the damaged units
 * (received defaults to all of it); what is neither is short. Good plus damaged never exceeds
 * what was sent, as the server checks too.
 */
export function CountForm({
  head,
  lines,
  testId,
  signedNote,
  submit,
  onDone,
}: {
  head: ReactNode;
  lines: CountLine[];
  /** receipt-<id>: the form is `<testId>` with `-form`, inputs `-received-<sku>`, the button `-submit`. */
  testId: string;
  signedNote: (h: Handoff) => string;
  submit: (lines: { skuId: number; received: number; damaged: number }[], note: string) => Promise<Handoff>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<Record<number, { received: number; damaged: number }>>(() =>
    Object.fromEntries(lines.map((l) => [l.skuId, { received: l.expected, damaged: 0 }])),
  );
  const [note, setNote] = useState('');
  const send = useMutation({
    mutationFn: () => submit(lines.map((l) => ({ skuId: l.skuId, ...counts[l.skuId]! })), note.trim()),
    onSuccess: onDone,
  });
  const set = (skuId: number, key: 'received' | 'damaged', v: string) =>
    setCounts((c) => ({ ...c, [skuId]: { ...c[skuId]!, [key]: Math.max(0, Math.trunc(Number(v) || 0)) } }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const invalid = lines.some((l) => counts[l.skuId]!.received + counts[l.skuId]!.damaged > l.expected);
  const [prefix, id] = [testId.split('-')[0], testId.split('-').slice(1).join('-')];
  return (
    <form className="card po-card receipt-form" onSubmit={onSubmit} data-testid={`${prefix}-form-${id}`}>
      {head}
      <table className="data-table compact">
        <thead>
          <tr>
            <th>{t('fulfil.item')}</th>
            <th>{t('fulfil.spec')}</th>
            <th className="num">{t('fulfil.po.ordered')}</th>
            <th className="num">{t('fulfil.po.received')}</th>
            <th className="num">{t('fulfil.po.damaged')}</th>
            <th className="num">{t('fulfil.po.missing')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const c = counts[l.skuId]!;
            const missing = Math.max(0, l.expected - c.received - c.damaged);
            return (
              <tr key={l.skuId}>
                <td>{l.title}</td>
                <td>{l.spec}</td>
                <td className="num">
                  {l.expected} {l.unit}
                </td>
                <td className="num">
                  <input
                    type="number"
                    min={0}
                    className="qty-input"
                    value={c.received}
                    aria-label={t('fulfil.po.receivedOf', { name: l.title })}
                    data-testid={`${prefix}-received-${id}-${l.skuId}`}
                    onChange={(e) => set(l.skuId, 'received', e.target.value)}
                  />
                </td>
                <td className="num">
                  <input
                    type="number"
                    min={0}
                    className="qty-input"
                    value={c.damaged}
                    aria-label={t('fulfil.po.damagedOf', { name: l.title })}
                    data-testid={`${prefix}-damaged-${id}-${l.skuId}`}
                    onChange={(e) => set(l.skuId, 'damaged', e.target.value)}
                  />
                </td>
                <td className={`num${missing || c.damaged ? ' is-short' : ''}`}>{missing || '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <input value={note} maxLength={200} placeholder={t('fulfil.po.note')} aria-label={t('fulfil.po.note')} onChange={(e) => setNote(e.target.value)} />
      {invalid && <p className="field-invalid small">{t('fulfil.po.damagedTooMany')}</p>}
      <ErrorNote error={send.error} />
      {send.data && (
        <div className="ok-note" data-testid={`${prefix}-done-${id}`}>
          {signedNote(send.data)}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={send.isPending || invalid || !!send.data} data-testid={`${prefix}-submit-${id}`}>
          {send.isPending ? t('fulfil.po.signing') : t('fulfil.po.sign')}
        </button>
      </div>
    </form>
  );
}

export function SortingPanel({ waveId, heading }: { waveId: number; heading: string }) {
  const { t } = useTranslation();
  const [grid, setGrid] = useState('');
  const sorting = useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'sorting'],
    queryFn: ({ signal }) => get<SortingGroup[]>(`/admin/waves/${waveId}/sorting`, undefined, signal),
  });
  if (sorting.isPending) return <Loading />;
  if (sorting.error) return <ErrorNote error={sorting.error} onRetry={() => void sorting.refetch()} />;
  const groups = grid ? sorting.data.filter((g) => String(g.gridWarehouse.id) === grid) : sorting.data;
  return (
    <div className="sorting-panel">
      <div className="panel-tools no-print">
        <label className="filter">
          <span>{t('fulfil.sorting.gridWarehouse')}</span>
          <select value={grid} onChange={(e) => setGrid(e.target.value)} data-testid="sorting-grid-filter">
            <option value="">{t('admin.all')}</option>
            {sorting.data.map((g) => (
              <option key={g.gridWarehouse.id} value={g.gridWarehouse.id}>
                {g.gridWarehouse.name}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <CsvButton
          path={`/admin/waves/${waveId}/sorting.csv`}
          query={{ gridWarehouseId: grid || undefined }}
          filename={`wave-${waveId}-sorting${grid ? `-${grid}` : ''}.csv`}
          testId="sorting-csv"
        />
        <PrintButton testId="sorting-print" />
      </div>
      <SortingSheets groups={groups} heading={heading} />
    </div>
  );
}
