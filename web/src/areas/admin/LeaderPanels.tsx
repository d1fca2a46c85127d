// Leader KPIs (history drawer, weekly run), levels and per-region group-buy rules.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../api/client';
import { bpToPercentText, formatBp, parsePercentToBp, type GroupbuySettings, type KpiRunResult, type KpiWeek, type LeaderLevel, type LeaderRow } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import { LineChart } from '../../components/charts';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { Drawer } from './Drawer';
import { useRefOptions } from './lookups';
import { RegionFilter } from './filters';

export function VerdictChip({ week }: { week: KpiWeek }) {
  const { t } = useTranslation();
  return (
    <span className="verdict">
      <span className={`status verdict-${week.verdict}`}>{t(`fulfil.kpi.verdicts.${week.verdict}`)}</span>
      {week.reasons.map((r) => (
        <span key={r} className="warn-chip" title={r}>
          {t(`fulfil.kpi.reasons.${r}`, { defaultValue: r })}
        </span>
      ))}
    </span>
  );
}

export function LeaderKpiDrawer({ leader, onClose }: { leader: LeaderRow; onClose: () => void }) {
  const { t } = useTranslation();
  const kpis = useQuery({
    queryKey: ['fulfil', 'kpis', leader.accountId],
    queryFn: ({ signal }) => get<KpiWeek[]>(`/admin/leaders/${leader.accountId}/kpis`, undefined, signal),
  });
  const weeks = [...(kpis.data ?? [])].reverse();
  const labels = weeks.map((w) => w.weekStart.slice(5));
  return (
    <Drawer title={t('fulfil.leaders.historyOf', { name: leader.realName })} onClose={onClose}>
      {kpis.isPending ? (
        <Loading />
      ) : kpis.error ? (
        <ErrorNote error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : weeks.length === 0 ? (
        <p className="muted empty">{t('fulfil.kpi.noWeek')}</p>
      ) : (
        <div className="drawer-section kpi-history" data-testid="kpi-history">
          <h3>{t('fulfil.kpi.rates')}</h3>
          <LineChart
            testId="kpi-rates-chart"
            labels={labels}
            max={100}
            format={(v) => `${Math.round(v)}%`}
            series={[
              { key: 'onTime', name: t('fulfil.kpi.onTime'), color: '#2e8b4e', values: weeks.map((w) => w.onTimeBp / 100) },
              { key: 'complaints', name: t('fulfil.kpi.complaints'), color: '#d64545', values: weeks.map((w) => w.complaintBp / 100) },
            ]}
          />
          <h3>{t('fulfil.kpi.itemsSold')}</h3>
          <LineChart testId="kpi-items-chart" labels={labels} height={180} series={[{ key: 'items', name: t('fulfil.kpi.itemsSold'), color: '#3a7bd5', values: weeks.map((w) => w.itemsSold) }]} />
          <table className="data-table compact">
            <thead>
              <tr>
                <th>{t('fulfil.kpi.week')}</th>
                <th className="num">{t('fulfil.orders')}</th>
                <th className="num">{t('fulfil.kpi.itemsSold')}</th>
                <th className="num">{t('fulfil.kpi.gmv')}</th>
                <th className="num">{t('fulfil.kpi.onTime')}</th>
                <th className="num">{t('fulfil.kpi.complaints')}</th>
                <th>{t('fulfil.kpi.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {kpis.data.map((w) => (
                <tr key={w.weekStart}>
                  <td>{w.weekStart}</td>
                  <td className="num">{w.orders}</td>
                  <td className="num">{w.itemsSold}</td>
                  <td className="num">{formatFen(w.gmvFen)}</td>
                  <td className="num" title={`${w.pickupsOnTime}/${w.pickupsDue}`}>
                    {formatBp(w.onTimeBp)}
                  </td>
                  <td className="num" title={String(w.complaints)}>
                    {formatBp(w.complaintBp)}
                  </td>
                  <td>
                    <VerdictChip week={w} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Drawer>
  );
}

/** Compute a week's KPIs now (the scheduler does last week every Monday). */
export function KpiRunCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [weekStart, setWeekStart] = useState('');
  const run = useMutation({
    mutationFn: () => post<KpiRunResult>('/admin/leader-kpis/run', weekStart ? { weekStart } : {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin'] }),
  });
  return (
    <div className="card run-wave kpi-run">
      <strong>{t('fulfil.kpi.runTitle')}</strong>
      <label className="filter">
        <span>{t('fulfil.kpi.weekStart')}</span>
        <input type="date" value={weekStart} onChange={(e) => setWeekStart(e.target.value)} />
      </label>
      <button type="button" className="btn btn-secondary" disabled={run.isPending} onClick={() => run.mutate()} data-testid="run-kpis">
        {run.isPending ? t('fulfil.kpi.running') : t('fulfil.kpi.run')}
      </button>
      <span className="muted small">{t('fulfil.kpi.runHint')}</span>
      {run.data && <span className="ok-note">{t('fulfil.kpi.ran', { ...run.data })}</span>}
      <ErrorNote error={run.error} />
    </div>
  );
}

interface LevelDraft {
  rank: string;
  name: string;
  minWeeklyItems: string;
  bonus: string;
}

export function LevelsEditor() {
  const levels = useQuery({
    queryKey: ['fulfil', 'levels'],
    queryFn: async ({ signal }) => {
      const res = await get<LeaderLevel[] | { levels: LeaderLevel[] }>('/admin/leader-levels', undefined, signal);
      return Array.isArray(res) ? res : res.levels;
    },
  });
  if (levels.isPending) return <Loading />;
  if (levels.error) return <ErrorNote error={levels.error} onRetry={() => void levels.refetch()} />;
  return <LevelsForm key={levels.dataUpdatedAt} levels={levels.data} />;
}

function LevelsForm({ levels }: { levels: LeaderLevel[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [rows, setRows] = useState<LevelDraft[]>(() =>
    [...levels].sort((a, b) => a.rank - b.rank).map((l) => ({ rank: String(l.rank), name: l.name, minWeeklyItems: String(l.minWeeklyItems), bonus: bpToPercentText(l.bonusBp) })),
  );
  const [bad, setBad] = useState(false);
  const save = useMutation({
    mutationFn: (body: { levels: Array<Omit<LeaderLevel, 'id'>> }) => put<LeaderLevel[]>('/admin/leader-levels', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['fulfil', 'levels'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const out = rows.map((r) => ({ rank: Number(r.rank), name: r.name.trim(), minWeeklyItems: Number(r.minWeeklyItems), bonusBp: parsePercentToBp(r.bonus) }));
    const ok = out.every((l) => Number.isInteger(l.rank) && l.name && Number.isInteger(l.minWeeklyItems) && l.minWeeklyItems >= 0 && l.bonusBp !== null);
    setBad(!ok);
    if (ok) save.mutate({ levels: out.map((l) => ({ ...l, bonusBp: l.bonusBp! })) });
  };
  const set = (k: number, p: Partial<LevelDraft>) => setRows((rs) => rs.map((r, j) => (j === k ? { ...r, ...p } : r)));
  return (
    <form className="card levels-form" onSubmit={submit} data-testid="levels-form">
      <p className="muted small">{t('fulfil.levels.hint')}</p>
      <table className="data-table compact">
        <thead>
          <tr>
            <th className="num">{t('fulfil.levels.rank')}</th>
            <th>{t('admin.fields.name')}</th>
            <th className="num">{t('fulfil.levels.minWeeklyItems')}</th>
            <th className="num">{t('fulfil.levels.bonus')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, k) => (
            <tr key={k}>
              <td className="num">
                <input className="qty-input" inputMode="numeric" value={r.rank} onChange={(e) => set(k, { rank: e.target.value })} aria-label={t('fulfil.levels.rank')} />
              </td>
              <td>
                <input value={r.name} maxLength={20} onChange={(e) => set(k, { name: e.target.value })} aria-label={t('admin.fields.name')} />
              </td>
              <td className="num">
                <input className="qty-input wide" inputMode="numeric" value={r.minWeeklyItems} onChange={(e) => set(k, { minWeeklyItems: e.target.value })} aria-label={t('fulfil.levels.minWeeklyItems')} />
              </td>
              <td className="num">
                <input className="qty-input" inputMode="decimal" value={r.bonus} onChange={(e) => set(k, { bonus: e.target.value })} aria-label={t('fulfil.levels.bonus')} />
              </td>
              <td>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setRows((rs) => rs.filter((_, j) => j !== k))}>
                  {t('admin.sku.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => setRows((rs) => [...rs, { rank: String(rs.length + 1), name: '', minWeeklyItems: '0', bonus: '0' }])}
      >
        + {t('fulfil.levels.add')}
      </button>
      {bad && <p className="field-invalid small">{t('fulfil.campaigns.checkField')}</p>}
      <ErrorNote error={save.error} />
      {save.isSuccess && <div className="ok-note">{t('admin.saved')}</div>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="levels-save">
          {save.isPending ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}

type SettingKey = Exclude<keyof GroupbuySettings, 'regionId' | 'inherited'>;
/** How each setting is shown: bp as percent, the undo window in minutes, the rest as counts. */
const SETTINGS: Array<{ key: SettingKey; unit: 'count' | 'percent' | 'minutes' }> = [
  { key: 'bindingSwitchLimit', unit: 'count' },
  { key: 'bindingSwitchDays', unit: 'count' },
  { key: 'pickupUndoWindowS', unit: 'minutes' },
  { key: 'kpiMinOnTimeBp', unit: 'percent' },
  { key: 'kpiMaxComplaintBp', unit: 'percent' },
  { key: 'kpiSuspendAfterWarnings', unit: 'count' },
  { key: 'vanCapacityCrates', unit: 'count' },
  { key: 'itemsPerCrate', unit: 'count' },
];

const shown = (unit: 'count' | 'percent' | 'minutes', v: number) => (unit === 'percent' ? bpToPercentText(v) : unit === 'minutes' ? String(v / 60) : String(v));
function parsed(unit: 'count' | 'percent' | 'minutes', s: string): number | null {
  if (unit === 'percent') return parsePercentToBp(s);
  if (!/^\d+(\.\d+)?$/.test(s.trim())) return null;
  const n = Number(s.trim());
  return unit === 'minutes' ? Math.round(n * 60) : Number.isInteger(n) ? n : null;
}

export function SettingsEditor() {
  const { t } = useTranslation();
  const regions = useRefOptions('regions');
  const [picked, setPicked] = useState('');
  const regionId = picked || (regions.data?.[0] ? String(regions.data[0].id) : '');
  const settings = useQuery({
    queryKey: ['fulfil', 'settings', regionId],
    enabled: !!regionId,
    queryFn: ({ signal }) => get<GroupbuySettings>(`/admin/groupbuy-settings/${regionId}`, undefined, signal),
  });
  return (
    <div className="card settings-card">
      <div className="card-head">
        <RegionFilter regions={regions.data} value={regionId} onChange={setPicked} allowAll={false} testId="settings-region" />
        {settings.data?.inherited && <span className="muted small">{t('fulfil.settings.inherited')}</span>}
      </div>
      {!regionId || settings.isPending ? (
        <Loading />
      ) : settings.error ? (
        <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <SettingsForm key={`${regionId}-${settings.dataUpdatedAt}`} settings={settings.data} />
      )}
    </div>
  );
}

function SettingsForm({ settings }: { settings: GroupbuySettings }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [vals, setVals] = useState<Record<SettingKey, string>>(() => Object.fromEntries(SETTINGS.map((s) => [s.key, shown(s.unit, settings[s.key])])) as Record<SettingKey, string>);
  const [bad, setBad] = useState<SettingKey | null>(null);
  const save = useMutation({
    mutationFn: (body: Partial<Record<SettingKey, number>>) => put<GroupbuySettings>(`/admin/groupbuy-settings/${settings.regionId}`, body),
    onSuccess: (s) => qc.setQueryData(['fulfil', 'settings', String(settings.regionId)], s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Partial<Record<SettingKey, number>> = {};
    for (const s of SETTINGS) {
      const v = parsed(s.unit, vals[s.key]);
      if (v === null) return setBad(s.key);
      body[s.key] = v;
    }
    setBad(null);
    save.mutate(body);
  };
  return (
    <form onSubmit={submit} data-testid="settings-form">
      <div className="form-grid">
        {SETTINGS.map((s) => (
          <label key={s.key} className={`field${bad === s.key ? ' field-invalid' : ''}`}>
            <span className="field-label">{t(`fulfil.settings.${s.key}`)}</span>
            <input inputMode="decimal" value={vals[s.key]} onChange={(e) => setVals((v) => ({ ...v, [s.key]: e.target.value }))} data-testid={`setting-${s.key}`} />
            <span className="field-hint">{t(`fulfil.settings.unit.${s.unit}`)}</span>
          </label>
        ))}
      </div>
      <ErrorNote error={save.error} />
      {save.isSuccess && <div className="ok-note">{t('admin.saved')}</div>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="settings-save">
          {save.isPending ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}
