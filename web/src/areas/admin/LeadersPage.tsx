// Group leaders (团长): the applications queue, leaders with last week's KPIs, levels and the
// per-region rules the KPIs and the wave use.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { formatBp, type LeaderApplication, type LeaderRow } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { LeaderKpiDrawer, KpiRunCard, LevelsEditor, SettingsEditor, VerdictChip } from './LeaderPanels';
import { Modal } from './Modal';
import { useCommunityNames, useRefOptions } from './lookups';
import { PagedTableCard, TableState, useCursorPage } from './paging';
import { DecisionFooter } from './DecisionFooter';
import { ChoiceFilter, RegionFilter } from './filters';

type Tab = 'applications' | 'leaders' | 'levels' | 'settings';
const TABS: Tab[] = ['applications', 'leaders', 'levels', 'settings'];

export function LeadersPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('applications');
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('fulfil.leaders.title')}</h1>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab-btn${tab === k ? ' is-active' : ''}`} onClick={() => setTab(k)} data-testid={`leaders-tab-${k}`}>
            {t(`fulfil.leaders.tab.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'applications' && <Applications />}
      {tab === 'leaders' && <Leaders />}
      {tab === 'levels' && <LevelsEditor />}
      {tab === 'settings' && <SettingsEditor />}
    </div>
  );
}

function Applications() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('pending');
  const [deciding, setDeciding] = useState<{ app: LeaderApplication; approve: boolean } | null>(null);
  const paged = useCursorPage<LeaderApplication>('/admin/leader-applications', { status });
  const communityName = useCommunityNames(paged.list.data?.items.map((a) => a.communityId) ?? []);
  return (
    <>
      <div className="filters">
        <ChoiceFilter values={['pending', 'approved', 'rejected'] as const} value={status} onChange={setStatus} labelOf={(s) => t(`fulfil.appStatus.${s}`)} />
      </div>
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="applications-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('fulfil.leaders.applicant')}</th>
                <th>{t('fulfil.leaders.point')}</th>
                <th>{t('admin.fields.communityId')}</th>
                <th>{t('admin.fields.hours')}</th>
                <th className="num">{t('admin.fields.capacity')}</th>
                <th>{t('fulfil.leaders.appliedAt')}</th>
                <th>{t('admin.fields.status')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={9} empty={page.items.length === 0} />
              {page.items.map((a) => (
                <tr key={a.id} data-testid={`application-row-${a.id}`}>
                  <td className="num">{a.id}</td>
                  <td>
                    <strong>{a.realName}</strong>
                    {a.applicant && (
                      <div className="muted small">
                        {a.applicant.displayName} · {a.applicant.phone}
                      </div>
                    )}
                  </td>
                  <td className="clip-cell" title={a.address}>
                    {a.pointName}
                    <div className="muted small clip">{a.address}</div>
                  </td>
                  <td>{communityName(a.communityId)}</td>
                  <td>
                    {a.opensAt}–{a.closesAt}
                  </td>
                  <td className="num">{a.capacity}</td>
                  <td>{formatTime(a.createdAt)}</td>
                  <td>
                    <span className={`status app-status-${a.status}`}>{t(`fulfil.appStatus.${a.status}`)}</span>
                    {a.reason && <div className="muted small clip">{a.reason}</div>}
                  </td>
                  <td className="actions-col">
                    {a.status === 'pending' && (
                      <span className="button-row">
                        <button type="button" className="btn btn-primary btn-small" onClick={() => setDeciding({ app: a, approve: true })} data-testid={`application-approve-${a.id}`}>
                          {t('fulfil.leaders.approve')}
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setDeciding({ app: a, approve: false })} data-testid={`application-reject-${a.id}`}>
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
      {deciding && <DecisionModal app={deciding.app} approve={deciding.approve} onClose={() => setDeciding(null)} />}
    </>
  );
}

function DecisionModal({ app, approve, onClose }: { app: LeaderApplication; approve: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const grids = useRefOptions('gridWarehouses');
  const [grid, setGrid] = useState('');
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      post<LeaderApplication>(`/admin/leader-applications/${app.id}/decision`, {
        approve,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(approve && grid ? { gridWarehouseId: Number(grid) } : {}),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      onClose();
    },
  });
  return (
    <Modal title={approve ? t('fulfil.leaders.approveTitle', { name: app.realName }) : t('fulfil.leaders.rejectTitle', { name: app.realName })} onClose={onClose}>
      <div className="form-stack">
        <p className="small">
          {app.pointName} · {app.address}
        </p>
        {approve && (
          <label className="field">
            <span className="field-label">{t('admin.fields.gridWarehouseId')}</span>
            <select value={grid} onChange={(e) => setGrid(e.target.value)} data-testid="decision-grid">
              <option value="">{t('fulfil.leaders.gridLater')}</option>
              {grids.data?.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <DecisionFooter
          approve={approve}
          reason={reason}
          onReason={setReason}
          pending={decide.isPending}
          error={decide.error}
          onCancel={onClose}
          onDecide={() => decide.mutate()}
          testIdPrefix="decision"
        />
      </div>
    </Modal>
  );
}

function Leaders() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [regionId, setRegionId] = useState('');
  const [kpisOf, setKpisOf] = useState<LeaderRow | null>(null);
  const [changing, setChanging] = useState<LeaderRow | null>(null);
  const regions = useRefOptions('regions');
  const paged = useCursorPage<LeaderRow>('/admin/leaders', { status, regionId });
  return (
    <>
      <KpiRunCard />
      <div className="filters">
        <RegionFilter regions={regions.data} value={regionId} onChange={setRegionId} />
        <ChoiceFilter values={['active', 'warned', 'suspended'] as const} value={status} onChange={setStatus} labelOf={(s) => t(`fulfil.leaderStatus.${s}`)} />
      </div>
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="leaders-table">
            <thead>
              <tr>
                <th>{t('fulfil.leaders.leader')}</th>
                <th>{t('fulfil.leaders.point')}</th>
                <th>{t('fulfil.leaders.level')}</th>
                <th>{t('admin.fields.status')}</th>
                <th className="num">{t('fulfil.kpi.itemsSold')}</th>
                <th className="num">{t('fulfil.kpi.gmv')}</th>
                <th className="num">{t('fulfil.kpi.onTime')}</th>
                <th className="num">{t('fulfil.kpi.complaints')}</th>
                <th>{t('fulfil.kpi.verdict')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={10} empty={page.items.length === 0} />
              {page.items.map((l) => (
                <tr key={l.accountId} data-testid={`leader-row-${l.accountId}`}>
                  <td>
                    <strong>{l.realName}</strong>
                    <div className="muted small">
                      {l.displayName} · {l.phone}
                    </div>
                  </td>
                  <td>{l.pickupPoint.name}</td>
                  <td>{l.level?.name ?? '—'}</td>
                  <td>
                    <span className={`status leader-status-${l.status}`}>{t(`fulfil.leaderStatus.${l.status}`)}</span>
                    {l.warningsInRow > 0 && <span className="warn-chip">{t('fulfil.leaders.warningsInRow', { count: l.warningsInRow })}</span>}
                    {l.statusReason && <div className="muted small clip">{l.statusReason}</div>}
                  </td>
                  <td className="num">{l.lastWeek?.itemsSold ?? '—'}</td>
                  <td className="num">{l.lastWeek ? formatFen(l.lastWeek.gmvFen) : '—'}</td>
                  <td className="num">{l.lastWeek ? formatBp(l.lastWeek.onTimeBp) : '—'}</td>
                  <td className="num">{l.lastWeek ? formatBp(l.lastWeek.complaintBp) : '—'}</td>
                  <td>{l.lastWeek ? <VerdictChip week={l.lastWeek} /> : <span className="muted small">{t('fulfil.kpi.noWeek')}</span>}</td>
                  <td className="actions-col">
                    <span className="button-row nowrap">
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => setKpisOf(l)} data-testid={`leader-kpis-${l.accountId}`}>
                        {t('fulfil.leaders.history')}
                      </button>
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => setChanging(l)} data-testid={`leader-status-${l.accountId}`}>
                        {l.status === 'suspended' ? t('fulfil.leaders.reactivate') : t('fulfil.leaders.suspend')}
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      {kpisOf && <LeaderKpiDrawer leader={kpisOf} onClose={() => setKpisOf(null)} />}
      {changing && <StatusModal leader={changing} onClose={() => setChanging(null)} />}
    </>
  );
}

function StatusModal({ leader, onClose }: { leader: LeaderRow; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const next = leader.status === 'suspended' ? 'active' : 'suspended';
  const [reason, setReason] = useState('');
  const change = useMutation({
    mutationFn: () => post(`/admin/leaders/${leader.accountId}/status`, { status: next, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      onClose();
    },
  });
  return (
    <Modal title={next === 'suspended' ? t('fulfil.leaders.suspendTitle', { name: leader.realName }) : t('fulfil.leaders.reactivateTitle', { name: leader.realName })} onClose={onClose}>
      <div className="form-stack">
        <p className="small">{next === 'suspended' ? t('fulfil.leaders.suspendNote') : t('fulfil.leaders.reactivateNote')}</p>
        <textarea rows={3} maxLength={200} value={reason} placeholder={next === 'suspended' ? t('fulfil.leaders.reasonRequired') : t('fulfil.leaders.noteOptional')} onChange={(e) => setReason(e.target.value)} data-testid="leader-status-reason" />
        <ErrorNote error={change.error} />
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('admin.cancel')}
          </button>
          <button type="button" className={`btn ${next === 'suspended' ? 'btn-accent' : 'btn-primary'}`} disabled={(next === 'suspended' && !reason.trim()) || change.isPending} onClick={() => change.mutate()} data-testid="leader-status-submit">
            {next === 'suspended' ? t('fulfil.leaders.suspend') : t('fulfil.leaders.reactivate')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
