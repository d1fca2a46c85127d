// 小店入驻: the operator's queue of store applications; approval opens the store (docs/stores.md).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { StoreApplication } from '../../api/stores';
import { formatTime } from '../../components/time';
import { Modal } from './Modal';
import { useCommunityNames, useRefOptions } from './lookups';
import { PagedTableCard, TableState, useCursorPage } from './paging';
import '../../styles/store.css';
import { DecisionFooter } from './DecisionFooter';
import { ChoiceFilter } from './filters';

export function StoreApplicationsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('pending');
  const [deciding, setDeciding] = useState<{ app: StoreApplication; approve: boolean } | null>(null);
  const paged = useCursorPage<StoreApplication>('/admin/store-applications', { status });
  const communityName = useCommunityNames(paged.list.data?.items.map((a) => a.communityId) ?? []);
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('admin.nav.storeApplications')}</h1>
      </div>
      <div className="filters">
        <ChoiceFilter values={['pending', 'approved', 'rejected'] as const} value={status} onChange={setStatus} labelOf={(s) => t(`stores.apply.status.${s}`)} />
      </div>
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="store-applications-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('stores.apply.storeName')}</th>
                <th>{t('stores.apply.licence')}</th>
                <th>{t('admin.fields.communityId')}</th>
                <th>{t('admin.fields.hours')}</th>
                <th>{t('stores.apply.modes')}</th>
                <th>{t('fulfil.leaders.appliedAt')}</th>
                <th>{t('admin.fields.status')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={9} empty={page.items.length === 0} />
              {page.items.map((a) => (
                <tr key={a.id} data-testid={`store-application-row-${a.id}`}>
                  <td className="num">{a.id}</td>
                  <td className="clip-cell" title={a.address}>
                    <strong>{a.storeName}</strong>
                    {a.ownerName && (
                      <div className="muted small">
                        {a.ownerName}
                        {a.idCardLast4 && <> · ****{a.idCardLast4}</>}
                      </div>
                    )}
                    <div className="muted small clip">{a.address}</div>
                  </td>
                  <td>{a.licenceNumber}</td>
                  <td>{communityName(a.communityId)}</td>
                  <td>
                    {a.opensAt}–{a.closesAt}
                    <div className="muted small">{t('stores.apply.radiusShort', { m: a.deliveryRadiusM })}</div>
                  </td>
                  <td>{a.modes.map((m) => t(`stores.mode.${m}`)).join(' / ')}</td>
                  <td>{formatTime(a.createdAt)}</td>
                  <td>
                    <span className={`status app-status-${a.status}`}>{t(`stores.apply.status.${a.status}`)}</span>
                    {a.reason && <div className="muted small clip">{a.reason}</div>}
                  </td>
                  <td className="actions-col">
                    {a.status === 'pending' && (
                      <span className="button-row">
                        <button type="button" className="btn btn-primary btn-small" onClick={() => setDeciding({ app: a, approve: true })} data-testid={`store-application-approve-${a.id}`}>
                          {t('fulfil.leaders.approve')}
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setDeciding({ app: a, approve: false })} data-testid={`store-application-reject-${a.id}`}>
                          {t('fulfil.leaders.reject')}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      {deciding && <Decision app={deciding.app} approve={deciding.approve} onClose={() => setDeciding(null)} />}
    </div>
  );
}

function Decision({ app, approve, onClose }: { app: StoreApplication; approve: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const grids = useRefOptions('gridWarehouses');
  const [grid, setGrid] = useState('');
  const [reason, setReason] = useState('');
  const [alsoPickup, setAlsoPickup] = useState(false);
  const decide = useMutation({
    mutationFn: () =>
      post<StoreApplication>(`/admin/store-applications/${app.id}/decision`, {
        approve,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(approve && grid ? { gridWarehouseId: Number(grid) } : {}),
        ...(approve ? { alsoPickupPoint: alsoPickup } : {}),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      onClose();
    },
  });
  return (
    <Modal title={`${approve ? t('fulfil.leaders.approve') : t('fulfil.leaders.reject')} · ${app.storeName}`} onClose={onClose}>
      <div className="form-stack">
        {approve && (
          <>
            <label className="filter">
              <span>{t('stores.admin.grid')}</span>
              <select value={grid} onChange={(e) => setGrid(e.target.value)} data-testid="store-decision-grid">
                <option value="">{t('stores.admin.gridAuto')}</option>
                {grids.data?.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="check" title={app.idCardLast4 ? undefined : t('stores.admin.needsId')}>
              <input type="checkbox" disabled={!app.idCardLast4} checked={alsoPickup} onChange={(e) => setAlsoPickup(e.target.checked)} data-testid="store-decision-pickup" />
              {t('stores.admin.alsoPickup')}
            </label>
          </>
        )}
        <DecisionFooter
          approve={approve}
          reason={reason}
          onReason={setReason}
          pending={decide.isPending}
          error={decide.error}
          onCancel={onClose}
          onDecide={() => decide.mutate()}
          testIdPrefix="store-decision"
        />
      </div>
    </Modal>
  );
}
