// Supplier incidents: shortages and damage found when receiving purchase orders.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { SupplierIncident } from '../../api/fulfilment';
import type { Page } from '../../api/types';
import { formatTime } from '../../components/time';
import { PagedTableCard, TableState, useCursorPage } from './paging';

export function IncidentsPage() {
  const { t } = useTranslation();
  const [waveId, setWaveId] = useState('');
  const [supplierId, setSupplierId] = useState('');
  const suppliers = useQuery({
    queryKey: ['fulfil', 'suppliers'],
    staleTime: 60_000,
    queryFn: ({ signal }) => get<Page<{ id: number; name: string }>>('/suppliers', { limit: 100 }, signal),
  });
  const paged = useCursorPage<SupplierIncident>('/admin/supplier-incidents', { waveId: /^\d+$/.test(waveId) ? waveId : '', supplierId });
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('fulfil.incidents.title')}</h1>
      </div>
      <div className="filters">
        <label className="filter">
          <span>{t('fulfil.incidents.wave')}</span>
          <input className="qty-input wide" inputMode="numeric" value={waveId} onChange={(e) => setWaveId(e.target.value)} placeholder="#" />
        </label>
        <label className="filter">
          <span>{t('fulfil.incidents.supplier')}</span>
          <select value={supplierId} onChange={(e) => setSupplierId(e.target.value)}>
            <option value="">{t('admin.all')}</option>
            {suppliers.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="incidents-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('fulfil.incidents.wave')}</th>
                <th>{t('fulfil.incidents.supplier')}</th>
                <th>{t('fulfil.item')}</th>
                <th>{t('fulfil.incidents.where')}</th>
                <th>{t('fulfil.incidents.kind')}</th>
                <th className="num">{t('fulfil.quantity')}</th>
                <th>{t('fulfil.incidents.at')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={8} empty={page.items.length === 0} />
              {page.items.map((i) => (
                <tr key={i.id}>
                  <td className="num">{i.id}</td>
                  <td>
                    <Link to={`/admin/waves/${i.waveId}`} className="link-btn">
                      #{i.waveId}
                    </Link>
                  </td>
                  <td>{i.supplier?.name ?? t('fulfil.po.noSupplier')}</td>
                  <td>
                    {i.title} <span className="muted">{i.spec}</span>
                  </td>
                  <td>
                    {t(`fulfil.incidents.handoff.${i.handoffKind}`)}
                    {i.pickupPointId !== null && <span className="muted small"> · #{i.pickupPointId}</span>}
                  </td>
                  <td>
                    <span className={`status incident-${i.kind}`}>{t(`fulfil.incidents.kinds.${i.kind}`)}</span>
                  </td>
                  <td className="num">{i.quantity}</td>
                  <td>{formatTime(i.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
    </div>
  );
}
