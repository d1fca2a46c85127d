// Market rest days (休市) per region: two months as a calendar, the list with reasons, add / remove.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import { chinaToday, type RestDay } from '../../api/fulfilment';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { useRefOptions } from './lookups';
import { RegionFilter } from './filters';

const pad = (n: number) => String(n).padStart(2, '0');

/** The days of a month as YYYY-MM-DD, with blanks before the 1st so weeks start on Monday. */
function monthCells(year: number, month: number): Array<string | null> {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cells: Array<string | null> = Array.from({ length: (first + 6) % 7 }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${year}-${pad(month + 1)}-${pad(d)}`);
  return cells;
}

export function RestDaysCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const regions = useRefOptions('regions');
  const [picked, setPicked] = useState('');
  const regionId = picked || (regions.data?.[0] ? String(regions.data[0].id) : '');
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const key = ['fulfil', 'rest-days', regionId];
  const list = useQuery({
    queryKey: key,
    enabled: !!regionId,
    queryFn: ({ signal }) => get<RestDay[]>(`/admin/regions/${regionId}/rest-days`, undefined, signal),
  });
  const add = useMutation({
    mutationFn: () => post<RestDay>(`/admin/regions/${regionId}/rest-days`, { day, reason: reason.trim() }),
    onSuccess: () => {
      setDay('');
      setReason('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (d: string) => api(`/admin/regions/${regionId}/rest-days/${d}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });

  const today = chinaToday();
  const [y, m] = today.split('-').map(Number) as [number, number];
  const months = [0, 1].map((k) => ({ year: y + Math.floor((m - 1 + k) / 12), month: (m - 1 + k) % 12 }));
  const rest = new Map((list.data ?? []).map((r) => [r.day, r.reason]));
  const upcoming = (list.data ?? []).filter((r) => r.day >= today).sort((a, b) => a.day.localeCompare(b.day));
  const weekdays = t('fulfil.restDays.weekdays').split(',');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (day) add.mutate();
  };

  return (
    <section className="card rest-days" data-testid="rest-days">
      <div className="card-head">
        <h2>{t('fulfil.restDays.title')}</h2>
        <RegionFilter regions={regions.data} value={regionId} onChange={setPicked} allowAll={false} />
      </div>
      {list.isPending && regionId ? (
        <Loading />
      ) : list.error ? (
        <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <div className="rest-layout">
          <div className="cal-months">
            {months.map(({ year, month }) => (
              <div key={`${year}-${month}`} className="cal">
                <div className="cal-title">{t('fulfil.restDays.month', { year, month: month + 1 })}</div>
                <div className="cal-grid">
                  {weekdays.map((w) => (
                    <span key={w} className="cal-wd">
                      {w}
                    </span>
                  ))}
                  {monthCells(year, month).map((d, i) =>
                    d === null ? (
                      <span key={`b${i}`} />
                    ) : (
                      <button
                        key={d}
                        type="button"
                        title={rest.get(d) ?? ''}
                        disabled={d < today}
                        className={`cal-day${rest.has(d) ? ' is-rest' : ''}${d === today ? ' is-today' : ''}${d === day ? ' is-picked' : ''}`}
                        onClick={() => setDay(d)}
                      >
                        {Number(d.slice(8))}
                      </button>
                    ),
                  )}
                </div>
              </div>
            ))}
          </div>
          <div className="rest-side">
            <form className="rest-form" onSubmit={submit}>
              <input type="date" value={day} min={today} onChange={(e) => setDay(e.target.value)} required aria-label={t('fulfil.restDays.day')} data-testid="rest-day-date" />
              <input value={reason} maxLength={100} placeholder={t('fulfil.restDays.reason')} aria-label={t('fulfil.restDays.reason')} onChange={(e) => setReason(e.target.value)} />
              <button type="submit" className="btn btn-primary btn-small" disabled={!day || rest.has(day) || add.isPending} data-testid="rest-day-add">
                {t('fulfil.restDays.add')}
              </button>
            </form>
            <ErrorNote error={add.error ?? remove.error} />
            <ul className="rest-list">
              {upcoming.length === 0 && <li className="muted small">{t('fulfil.restDays.none')}</li>}
              {upcoming.map((r) => (
                <li key={r.day}>
                  <strong className="mono">{r.day}</strong>
                  <span className="muted">{r.reason || '—'}</span>
                  <button type="button" className="btn btn-ghost btn-small" disabled={remove.isPending} onClick={() => remove.mutate(r.day)}>
                    {t('fulfil.restDays.remove')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
