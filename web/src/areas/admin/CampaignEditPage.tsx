// Create or edit a draft campaign: when it runs, when it cuts off, the pickup day, and the
// region's SKUs it sells at group prices. Published campaigns show read-only with their sales.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { get, patch, post } from '../../api/client';
import {
  bpToPercentText,
  chinaToday,
  formatBp,
  fromLocalInput,
  parsePercentToBp,
  toLocalInput,
  type Campaign,
  type CampaignInput,
  type RegionSku,
} from '../../api/fulfilment';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../api/money';
import type { Page } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { CampaignActions, CampaignStatusChip } from './CampaignsPage';
import { useNameOf, useRefOptions } from './lookups';

interface ItemDraft {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  basePriceFen: number;
  price: string;
  limit: string;
  stock: string;
  leaderOnly: boolean;
  commission: string;
}

interface Draft {
  regionId: string;
  title: string;
  startsAt: string;
  cutoffAt: string;
  pickupDate: string;
  commission: string;
  items: ItemDraft[];
}

function blankDraft(): Draft {
  // Tomorrow's pickup from an order window that opens now and cuts off at 23:00 tonight.
  const now = new Date();
  const cutoff = new Date(now);
  cutoff.setHours(23, 0, 0, 0);
  const tomorrow = chinaToday(new Date(now.getTime() + 86_400_000));
  return { regionId: '', title: '', startsAt: toLocalInput(now.toISOString()), cutoffAt: toLocalInput(cutoff.toISOString()), pickupDate: tomorrow, commission: '10', items: [] };
}

function fromCampaign(c: Campaign): Draft {
  return {
    regionId: String(c.regionId),
    title: c.title,
    startsAt: toLocalInput(c.startsAt),
    cutoffAt: toLocalInput(c.cutoffAt),
    pickupDate: c.pickupDate,
    commission: bpToPercentText(c.leaderCommissionBp),
    items: c.items.map((i) => ({
      skuId: i.skuId,
      title: i.title,
      spec: i.spec,
      unit: i.unit,
      basePriceFen: i.basePriceFen,
      price: fenToYuanText(i.groupPriceFen),
      limit: i.limitPerPerson === null ? '' : String(i.limitPerPerson),
      stock: String(i.stock),
      leaderOnly: i.leaderOnly,
      commission: i.leaderCommissionBp === null ? '' : bpToPercentText(i.leaderCommissionBp),
    })),
  };
}

const intOrNull = (s: string) => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** The draft as the API body, or the first field that is wrong. */
function toBody(d: Draft): { body: CampaignInput } | { field: string } {
  if (!d.regionId) return { field: 'regionId' };
  if (!d.title.trim()) return { field: 'title' };
  const startsAt = fromLocalInput(d.startsAt);
  const cutoffAt = fromLocalInput(d.cutoffAt);
  if (!startsAt) return { field: 'startsAt' };
  if (!cutoffAt || cutoffAt <= startsAt) return { field: 'cutoffAt' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.pickupDate)) return { field: 'pickupDate' };
  const commission = parsePercentToBp(d.commission);
  if (commission === null) return { field: 'leaderCommissionBp' };
  if (d.items.length === 0) return { field: 'items' };
  const items: CampaignInput['items'] = [];
  for (const [k, i] of d.items.entries()) {
    const price = parseYuanToFen(i.price);
    if (price === null || price <= 0) return { field: `items.${k}.groupPriceFen` };
    const limit = intOrNull(i.limit);
    if (Number.isNaN(limit) || limit === 0) return { field: `items.${k}.limitPerPerson` };
    const stock = intOrNull(i.stock);
    if (stock === null || Number.isNaN(stock) || stock <= 0) return { field: `items.${k}.stock` };
    const bp = i.commission.trim() === '' ? null : parsePercentToBp(i.commission);
    if (i.commission.trim() !== '' && bp === null) return { field: `items.${k}.leaderCommissionBp` };
    items.push({ skuId: i.skuId, groupPriceFen: price, limitPerPerson: limit, stock, leaderOnly: i.leaderOnly, leaderCommissionBp: bp });
  }
  return { body: { regionId: Number(d.regionId), title: d.title.trim(), startsAt, cutoffAt, pickupDate: d.pickupDate, leaderCommissionBp: commission, items } };
}

export function CampaignEditPage() {
  const { t } = useTranslation();
  const param = useParams().campaignId ?? 'new';
  const id = param === 'new' ? null : Number(param);
  const campaign = useQuery({
    queryKey: ['fulfil', 'campaign', id],
    enabled: id !== null,
    queryFn: ({ signal }) => get<Campaign>(`/campaigns/${id}`, undefined, signal),
  });
  return (
    <div className="admin-page campaign-edit">
      <div className="page-head">
        <h1>
          <Link to="/admin/campaigns" className="back-link">
            ← {t('fulfil.campaigns.title')}
          </Link>{' '}
          {id === null ? t('fulfil.campaigns.new') : t('fulfil.campaigns.one', { id })}
        </h1>
        {campaign.data && <CampaignStatusChip status={campaign.data.status} />}
      </div>
      {id === null ? (
        <CampaignForm initial={blankDraft()} id={null} />
      ) : campaign.isPending ? (
        <Loading />
      ) : campaign.error ? (
        <ErrorNote error={campaign.error} onRetry={() => void campaign.refetch()} />
      ) : campaign.data.status === 'draft' ? (
        <>
          <CampaignForm key={campaign.dataUpdatedAt} initial={fromCampaign(campaign.data)} id={campaign.data.id} />
          <div className="card form-actions">
            <CampaignActions campaign={campaign.data} />
          </div>
        </>
      ) : (
        <CampaignView campaign={campaign.data} />
      )}
    </div>
  );
}

function CampaignForm({ initial, id }: { initial: Draft; id: number | null }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const regions = useRefOptions('regions');
  const [d, setD] = useState<Draft>(initial);
  const [bad, setBad] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const setItem = (k: number, patchItem: Partial<ItemDraft>) => setD((x) => ({ ...x, items: x.items.map((i, j) => (j === k ? { ...i, ...patchItem } : i)) }));

  const save = useMutation({
    mutationFn: (body: CampaignInput) => (id === null ? post<Campaign>('/admin/campaigns', body) : patch<Campaign>(`/admin/campaigns/${id}`, body)),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['admin', '/admin/campaigns'] });
      qc.setQueryData(['fulfil', 'campaign', c.id], c);
      if (id === null) void navigate(`/admin/campaigns/${c.id}`, { replace: true });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = toBody(d);
    if ('field' in r) {
      setBad(r.field);
      return;
    }
    setBad(null);
    save.mutate(r.body);
  };
  const cls = (f: string) => (bad === f ? 'field-invalid' : '');

  return (
    <form className="card campaign-form" onSubmit={submit} data-testid="campaign-form">
      <div className="form-grid">
        <label className={`field ${cls('regionId')}`}>
          <span className="field-label">{t('admin.fields.regionId')}</span>
          <select value={d.regionId} onChange={(e) => setD((x) => ({ ...x, regionId: e.target.value, items: x.regionId === e.target.value ? x.items : [] }))} data-testid="campaign-region">
            <option value="">{t('fulfil.choose')}</option>
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className={`field ${cls('title')}`}>
          <span className="field-label">{t('fulfil.campaigns.name')}</span>
          <input value={d.title} maxLength={64} onChange={(e) => set('title', e.target.value)} data-testid="campaign-title" />
        </label>
        <label className={`field ${cls('startsAt')}`}>
          <span className="field-label">{t('fulfil.campaigns.startsAt')}</span>
          <input type="datetime-local" value={d.startsAt} onChange={(e) => set('startsAt', e.target.value)} data-testid="campaign-starts" />
        </label>
        <label className={`field ${cls('cutoffAt')}`}>
          <span className="field-label">{t('fulfil.campaigns.cutoffAt')}</span>
          <input type="datetime-local" value={d.cutoffAt} onChange={(e) => set('cutoffAt', e.target.value)} data-testid="campaign-cutoff" />
        </label>
        <label className={`field ${cls('pickupDate')}`}>
          <span className="field-label">{t('fulfil.pickupDate')}</span>
          <input type="date" value={d.pickupDate} onChange={(e) => set('pickupDate', e.target.value)} data-testid="campaign-pickup" />
        </label>
        <label className={`field ${cls('leaderCommissionBp')}`}>
          <span className="field-label">{t('fulfil.campaigns.commission')}</span>
          <input inputMode="decimal" value={d.commission} onChange={(e) => set('commission', e.target.value)} data-testid="campaign-commission" />
          <span className="field-hint">{t('fulfil.campaigns.commissionHint')}</span>
        </label>
      </div>
      <h3>{t('fulfil.campaigns.items')}</h3>
      {d.items.length > 0 && (
        <table className="data-table compact campaign-items">
          <thead>
            <tr>
              <th>{t('fulfil.item')}</th>
              <th className="num">{t('admin.fields.basePrice')}</th>
              <th className="num">{t('fulfil.campaigns.groupPrice')}</th>
              <th className="num">{t('fulfil.campaigns.limit')}</th>
              <th className="num">{t('fulfil.campaigns.stock')}</th>
              <th>{t('fulfil.campaigns.leaderOnly')}</th>
              <th className="num">{t('fulfil.campaigns.skuCommission')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {d.items.map((i, k) => (
              <tr key={i.skuId}>
                <td>
                  {i.title} <span className="muted">{i.spec}</span>
                </td>
                <td className="num">{formatFen(i.basePriceFen)}</td>
                <td className="num">
                  <input className={`qty-input wide ${cls(`items.${k}.groupPriceFen`)}`} inputMode="decimal" value={i.price} onChange={(e) => setItem(k, { price: e.target.value })} aria-label={t('fulfil.campaigns.groupPrice')} />
                </td>
                <td className="num">
                  <input className={`qty-input ${cls(`items.${k}.limitPerPerson`)}`} inputMode="numeric" value={i.limit} placeholder="∞" onChange={(e) => setItem(k, { limit: e.target.value })} aria-label={t('fulfil.campaigns.limit')} />
                </td>
                <td className="num">
                  <input className={`qty-input ${cls(`items.${k}.stock`)}`} inputMode="numeric" value={i.stock} onChange={(e) => setItem(k, { stock: e.target.value })} aria-label={t('fulfil.campaigns.stock')} />
                </td>
                <td>
                  <input type="checkbox" checked={i.leaderOnly} onChange={(e) => setItem(k, { leaderOnly: e.target.checked })} aria-label={t('fulfil.campaigns.leaderOnly')} />
                </td>
                <td className="num">
                  <input
                    className={`qty-input ${cls(`items.${k}.leaderCommissionBp`)}`}
                    inputMode="decimal"
                    value={i.commission}
                    placeholder={d.commission}
                    onChange={(e) => setItem(k, { commission: e.target.value })}
                    aria-label={t('fulfil.campaigns.skuCommission')}
                  />
                </td>
                <td>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setD((x) => ({ ...x, items: x.items.filter((_, j) => j !== k) }))}>
                    {t('admin.sku.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bad === 'items' && <p className="field-invalid small">{t('fulfil.campaigns.needItems')}</p>}
      {d.regionId ? (
        <SkuPicker
          regionId={Number(d.regionId)}
          taken={new Set(d.items.map((i) => i.skuId))}
          onAdd={(s) =>
            setD((x) => ({
              ...x,
              items: [
                ...x.items,
                {
                  skuId: s.skuId,
                  title: s.productName,
                  spec: s.spec,
                  unit: s.unit,
                  basePriceFen: s.effectivePriceFen,
                  price: fenToYuanText(s.effectivePriceFen),
                  limit: '',
                  stock: '100',
                  leaderOnly: false,
                  commission: '',
                },
              ],
            }))
          }
        />
      ) : (
        <p className="muted small">{t('fulfil.campaigns.pickRegionFirst')}</p>
      )}
      {bad && bad !== 'items' && <p className="field-invalid small">{t('fulfil.campaigns.checkField')}</p>}
      <ErrorNote error={save.error} />
      {save.isSuccess && <div className="ok-note">{t('admin.saved')}</div>}
      <div className="form-actions">
        <Link to="/admin/campaigns" className="btn btn-ghost">
          {t('admin.cancel')}
        </Link>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="campaign-save">
          {save.isPending ? t('admin.saving') : t('fulfil.campaigns.saveDraft')}
        </button>
      </div>
    </form>
  );
}

/** The region's assortment (a few hundred SKUs at most), filtered as you type. */
function SkuPicker({ regionId, taken, onAdd }: { regionId: number; taken: Set<number>; onAdd: (s: RegionSku) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const skus = useQuery({
    queryKey: ['fulfil', 'region-skus', regionId],
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const out: RegionSku[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: Page<RegionSku> = await get<Page<RegionSku>>(`/regions/${regionId}/skus`, { limit: 100, cursor }, signal);
        out.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return out;
    },
  });
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (skus.data ?? []).filter((s) => s.active && !taken.has(s.skuId) && (!needle || `${s.productName} ${s.spec} ${s.barcode ?? ''}`.toLowerCase().includes(needle))).slice(0, 30);
  }, [skus.data, q, taken]);
  return (
    <div className="sku-picker">
      <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('fulfil.campaigns.searchSku')} aria-label={t('fulfil.campaigns.searchSku')} data-testid="campaign-sku-search" />
      {skus.isPending ? (
        <Loading />
      ) : skus.error ? (
        <ErrorNote error={skus.error} onRetry={() => void skus.refetch()} />
      ) : (
        <ul className="sku-options">
          {shown.length === 0 && <li className="muted small">{t('app.empty')}</li>}
          {shown.map((s) => (
            <li key={s.skuId}>
              <span>
                {s.productName} <span className="muted">{s.spec}</span>
              </span>
              <span className="muted small">{formatFen(s.effectivePriceFen)}</span>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => onAdd(s)} data-testid={`campaign-add-sku-${s.skuId}`}>
                + {t('fulfil.campaigns.addSku')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CampaignView({ campaign: c }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const regionName = useNameOf('regions');
  return (
    <div className="card campaign-view">
      <dl className="kv-inline">
        <dt>{t('admin.fields.regionId')}</dt>
        <dd>{regionName(c.regionId)}</dd>
        <dt>{t('fulfil.campaigns.window')}</dt>
        <dd>
          {toLocalInput(c.startsAt).replace('T', ' ')} → {toLocalInput(c.cutoffAt).replace('T', ' ')}
        </dd>
        <dt>{t('fulfil.pickupDate')}</dt>
        <dd>{c.pickupDate}</dd>
        <dt>{t('fulfil.campaigns.commission')}</dt>
        <dd>{formatBp(c.leaderCommissionBp)}</dd>
        <dt>{t('fulfil.campaigns.figures')}</dt>
        <dd>
          {t('fulfil.campaigns.figuresText', { orders: c.figures.orders, buyers: c.figures.buyers, gmv: formatFen(c.figures.gmvFen) })}
        </dd>
      </dl>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>{t('fulfil.item')}</th>
            <th className="num">{t('fulfil.campaigns.groupPrice')}</th>
            <th className="num">{t('fulfil.campaigns.limit')}</th>
            <th className="num">{t('fulfil.campaigns.stock')}</th>
            <th className="num">{t('fulfil.campaigns.sold')}</th>
            <th className="num">{t('fulfil.campaigns.available')}</th>
            <th>{t('fulfil.campaigns.leaderOnly')}</th>
            <th className="num">{t('fulfil.campaigns.skuCommission')}</th>
          </tr>
        </thead>
        <tbody>
          {c.items.map((i) => (
            <tr key={i.skuId}>
              <td>
                {i.title} <span className="muted">{i.spec}</span>
              </td>
              <td className="num">
                {formatFen(i.groupPriceFen)} <span className="muted price-was">{formatFen(i.basePriceFen)}</span>
              </td>
              <td className="num">{i.limitPerPerson ?? '∞'}</td>
              <td className="num">{i.stock}</td>
              <td className="num">{i.sold}</td>
              <td className="num">{i.available}</td>
              <td>{i.leaderOnly ? '✓' : ''}</td>
              <td className="num">{i.leaderCommissionBp === null ? '—' : formatBp(i.leaderCommissionBp)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <CampaignActions campaign={c} />
      </div>
    </div>
  );
}
