// Group-buy campaigns (团购活动): the list with figures, publish / cancel, and rest days.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { post } from '../../api/client';
import { useIdempotentPost, type Campaign, type CampaignStatus } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { useNameOf, useRefOptions } from './lookups';
import { PagedTableCard, TableState, useCursorPage } from './paging';
import { RestDaysCard } from './RestDaysCard';
import { ChoiceFilter, RegionFilter } from './filters';

const STATUSES: CampaignStatus[] = ['draft', 'published', 'cut_off', 'cancelled'];

export function CampaignStatusChip({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return <span className={`status campaign-status-${status}`}>{t(`fulfil.campaignStatus.${status}`)}</span>;
}

export function CampaignsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [regionId, setRegionId] = useState('');
  const [status, setStatus] = useState('');
  const regions = useRefOptions('regions');
  const regionName = useNameOf('regions');
  const paged = useCursorPage<Campaign>('/admin/campaigns', { regionId, status });

  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('fulfil.campaigns.title')}</h1>
        <Link to="/admin/campaigns/new" className="btn btn-primary" data-testid="campaign-new">
          + {t('fulfil.campaigns.new')}
        </Link>
      </div>
      <div className="filters">
        <RegionFilter regions={regions.data} value={regionId} onChange={setRegionId} />
        <ChoiceFilter values={STATUSES} value={status} onChange={setStatus} labelOf={(s) => t(`fulfil.campaignStatus.${s}`)} />
      </div>
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="campaigns-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('fulfil.campaigns.name')}</th>
                <th>{t('admin.fields.regionId')}</th>
                <th>{t('admin.fields.status')}</th>
                <th>{t('fulfil.campaigns.startsAt')}</th>
                <th>{t('fulfil.campaigns.cutoffAt')}</th>
                <th>{t('fulfil.pickupDate')}</th>
                <th className="num">{t('fulfil.campaigns.skus')}</th>
                <th className="num">{t('fulfil.orders')}</th>
                <th className="num">{t('fulfil.campaigns.buyers')}</th>
                <th className="num">{t('fulfil.campaigns.gmv')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={12} empty={page.items.length === 0} />
              {page.items.map((c) => (
                <tr key={c.id} data-testid={`campaign-row-${c.id}`}>
                  <td className="num">{c.id}</td>
                  <td className="clip-cell" title={c.title}>
                    <Link to={`/admin/campaigns/${c.id}`} className="link-btn">
                      {c.title}
                    </Link>
                  </td>
                  <td>{regionName(c.regionId)}</td>
                  <td>
                    <CampaignStatusChip status={c.status} />
                  </td>
                  <td>{formatTime(c.startsAt)}</td>
                  <td>{formatTime(c.cutoffAt)}</td>
                  <td>{c.pickupDate}</td>
                  <td className="num">{c.items.length}</td>
                  <td className="num">{c.figures.orders}</td>
                  <td className="num">{c.figures.buyers}</td>
                  <td className="num">{formatFen(c.figures.gmvFen)}</td>
                  <td className="actions-col">
                    <CampaignActions campaign={c} onEdit={() => void navigate(`/admin/campaigns/${c.id}`)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      <RestDaysCard />
    </div>
  );
}

export function CampaignActions({ campaign: c, onEdit }: { campaign: Campaign; onEdit?: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['admin', '/admin/campaigns'] });
    void qc.invalidateQueries({ queryKey: ['fulfil', 'campaign', c.id] });
  };
  const publish = useMutation({ mutationFn: () => send<Campaign>(`/admin/campaigns/${c.id}/publish`), onSuccess: done });
  const cancel = useMutation({ mutationFn: () => post<Campaign>(`/admin/campaigns/${c.id}/cancel`), onSuccess: done });
  const closeNow = useMutation({ mutationFn: () => post<Campaign>(`/admin/campaigns/${c.id}/close-now`), onSuccess: done });
  const [confirming, setConfirming] = useState(false);
  const [closing, setClosing] = useState(false);
  const open = c.status === 'published' && new Date(c.cutoffAt).getTime() > Date.now();
  return (
    <span className="button-row nowrap">
      {open &&
        (closing ? (
          <>
            <button type="button" className="btn btn-accent btn-small" disabled={closeNow.isPending} onClick={() => closeNow.mutate()} data-testid={`campaign-close-confirm-${c.id}`}>
              {t('fulfil.campaigns.closeNowConfirm')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setClosing(false)}>
              {t('admin.cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setClosing(true)} data-testid={`campaign-close-${c.id}`}>
            {t('fulfil.campaigns.closeNow')}
          </button>
        ))}
      {c.status === 'draft' && onEdit && (
        <button type="button" className="btn btn-ghost btn-small" onClick={onEdit}>
          {t('admin.edit')}
        </button>
      )}
      {c.status === 'draft' && (
        <button type="button" className="btn btn-primary btn-small" disabled={publish.isPending} onClick={() => publish.mutate()} data-testid={`campaign-publish-${c.id}`}>
          {t('fulfil.campaigns.publish')}
        </button>
      )}
      {(c.status === 'draft' || c.status === 'published') &&
        (confirming ? (
          <>
            <button type="button" className="btn btn-accent btn-small" disabled={cancel.isPending} onClick={() => cancel.mutate()} data-testid={`campaign-cancel-confirm-${c.id}`}>
              {t('fulfil.campaigns.cancelConfirm')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
              {t('admin.cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(true)} data-testid={`campaign-cancel-${c.id}`}>
            {t('fulfil.campaigns.cancel')}
          </button>
        ))}
      <ErrorNote error={publish.error ?? cancel.error ?? closeNow.error} />
    </span>
  );
}
