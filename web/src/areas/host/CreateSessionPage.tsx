// Scheduling a session: title, time, stream and cover URLs, and the bag (SKUs from the
// catalogue with a live price in yuan → fen, a per-person limit and the units to allot from the
// region's central warehouse). One POST; the stock moves with it, so it carries a key.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import type { LiveSession, NewSession } from '../../api/live';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { blames, Field } from '../../components/Field';
import { errorField } from '../../components/errors';
import { useKeyedWrite } from './actions';
import { bagBody, draftOf, type BagDraft } from './rules';
import { SkuPicker } from './SkuPicker';

/** "2026-05-01T19:30" from a datetime-local input (local time) → ISO instant. */
function localToIso(v: string): string | null {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function defaultStart(): string {
  const d = new Date(Date.now() + 60 * 60_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function BagDraftTable({ rows, onChange, blamed }: { rows: BagDraft[]; onChange: (rows: BagDraft[]) => void; blamed: { index: number; field: string } | null }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<BagDraft>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  if (rows.length === 0) return <p className="muted small">{t('live.host.bagEmpty')}</p>;
  return (
    <table className="host-table" data-testid="host-bag-draft">
      <thead>
        <tr>
          <th>{t('live.host.product')}</th>
          <th className="num">{t('live.host.basePrice')}</th>
          <th>{t('live.host.livePrice')}</th>
          <th>{t('live.host.limit')}</th>
          <th>{t('live.host.allotted')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const bad = (f: string) => blamed?.index === i && blamed.field === f;
          return (
            <tr key={r.skuId} data-testid="host-bag-draft-row">
              <td>
                {r.productName}
                <div className="muted small">
                  {r.spec} · {r.unit}
                </div>
              </td>
              <td className="num">{formatFen(r.basePriceFen)}</td>
              <td className={bad('livePriceFen') ? 'field-invalid' : ''}>
                <input inputMode="decimal" className="host-num-input" aria-label={t('live.host.livePrice')} value={r.price} data-testid="host-bag-price" onChange={(e) => set(i, { price: e.target.value })} />
              </td>
              <td className={bad('limitPerPerson') ? 'field-invalid' : ''}>
                <input inputMode="numeric" className="host-num-input" aria-label={t('live.host.limit')} placeholder={t('live.host.noLimit')} value={r.limit} onChange={(e) => set(i, { limit: e.target.value })} />
              </td>
              <td className={bad('allotted') ? 'field-invalid' : ''}>
                <input inputMode="numeric" className="host-num-input" aria-label={t('live.host.allotted')} value={r.allotted} data-testid="host-bag-allotted" onChange={(e) => set(i, { allotted: e.target.value })} />
              </td>
              <td>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                  {t('live.host.remove')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Which bag row and field the server blamed ("bag.2.allotted"), if any. */
export function blamedBagRow(err: unknown): { index: number; field: string } | null {
  const f = errorField(err);
  const m = f ? /^bag\.(\d+)\.(\w+)/.exec(f) : null;
  return m ? { index: Number(m[1]), field: m[2]! } : null;
}

export function CreateSessionPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(defaultStart);
  const [streamUrl, setStreamUrl] = useState('');
  const [coverUrl, setCoverUrl] = useState('');
  const [rows, setRows] = useState<BagDraft[]>([]);
  const [localErr, setLocalErr] = useState<{ index: number; field: string } | null>(null);
  const create = useKeyedWrite<LiveSession | { session: LiveSession }>({
    onSuccess: (r) => {
      const s = 'session' in r ? r.session : r;
      void navigate(`/host/sessions/${s.id}`);
    },
  });
  const err = create.error;
  const blamed = localErr ?? blamedBagRow(err);
  const field = errorField(err);

  const submit = () => {
    const scheduledAt = localToIso(when);
    const bag = bagBody(rows);
    if (!bag.ok) {
      setLocalErr({ index: bag.index, field: bag.field });
      return;
    }
    setLocalErr(null);
    if (!scheduledAt) return;
    const body: NewSession = { title: title.trim(), scheduledAt, streamUrl: streamUrl.trim(), bag: bag.bag, ...(coverUrl.trim() ? { coverUrl: coverUrl.trim() } : {}) };
    create.mutate({ method: 'POST', path: '/host/sessions', body });
  };

  const needsProfile = err instanceof ApiError && err.status === 409 && err.field === 'profile';
  return (
    <div className="host-page">
      <div className="host-page-head">
        <h1 className="section-title">{t('live.host.newSession')}</h1>
        <Link to="/host" className="btn btn-ghost btn-small">
          {t('live.host.backToList')}
        </Link>
      </div>
      <form
        className="card form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="host-form-grid">
          <Field label={t('live.host.sessionTitle')} invalid={blames(field, 'title')}>
            <input value={title} maxLength={60} required data-testid="host-title" onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field label={t('live.host.scheduledAt')} invalid={blames(field, 'scheduledAt')}>
            <input type="datetime-local" value={when} required data-testid="host-when" onChange={(e) => setWhen(e.target.value)} />
          </Field>
          <Field label={t('live.host.streamUrl')} hint={t('live.host.streamHint')} invalid={blames(field, 'streamUrl')}>
            <input type="url" value={streamUrl} required placeholder="https://…/live.m3u8" data-testid="host-stream" onChange={(e) => setStreamUrl(e.target.value)} />
          </Field>
          <Field label={t('live.host.coverUrl')} hint={t('live.host.optional')} invalid={blames(field, 'coverUrl')}>
            <input type="url" value={coverUrl} placeholder="https://…/cover.jpg" onChange={(e) => setCoverUrl(e.target.value)} />
          </Field>
        </div>

        <h2 className="sub-title">{t('live.host.bag')}</h2>
        <BagDraftTable rows={rows} onChange={setRows} blamed={blamed} />
        {localErr && <p className="line-problem">{t(`live.host.bad.${localErr.field}`)}</p>}
        <div className="host-add">
          <h3 className="sub-title">{t('live.host.addFromCatalogue')}</h3>
          <SkuPicker taken={new Set(rows.map((r) => r.skuId))} onPick={(s) => setRows((rs) => [...rs, draftOf(s)])} />
        </div>

        {needsProfile ? (
          <div className="error-note" role="alert">
            <strong>{t('live.host.needProfile')}</strong>
            <Link to="/host/profile">{t('live.host.profile')}</Link>
          </div>
        ) : (
          <ErrorNote error={err} />
        )}
        <div className="host-actions">
          <button type="submit" className="btn btn-primary" data-testid="host-create" disabled={create.isPending || !title.trim() || !streamUrl.trim()}>
            {create.isPending ? t('live.host.saving') : t('live.host.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
