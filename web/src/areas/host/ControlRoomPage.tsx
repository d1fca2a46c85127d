// 直播中控台: one session's control room on a laptop. Go live / end, the bag with pin and
// unpin (the pinned row highlighted), flash sales, coupons, the chat with mute and remove, and
// the live figures (viewers from the room, orders and GMV from the dashboard plus the room's
// per-minute `stats`).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatCount, useDashboard, useSessionDetail, type BagItem, type ChatMessage, type LiveCoupon, type SessionDetail } from '../../api/live';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { errorField } from '../../components/errors';
import { formatTime } from '../../components/time';
import { ChatPanel } from '../shop/live/ChatPanel';
import { FlashCard, Thumb } from '../shop/live/RoomParts';
import { useLiveRoom, type LiveRoom } from '../shop/live/useLiveRoom';
import { useKeyedWrite } from './actions';
import { BagDraftTable } from './CreateSessionPage';
import { bagBody, draftOf, liveTotals, type BagDraft } from './rules';
import { FlashSaleForm, CouponForm } from './ControlForms';
import { StatusTag } from './HostSessionsPage';
import { SkuPicker } from './SkuPicker';

export function ControlRoomPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const [pollMs, setPollMs] = useState<number | false>(false);
  const detail = useSessionDetail(id, pollMs);
  const status = detail.data?.session.status;
  // Claims and stock move without a room message of their own: re-read them while live.
  useEffect(() => setPollMs(status === 'live' ? 5000 : false), [status]);
  const room = useLiveRoom(id, status === 'live' || status === 'scheduled');
  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorNote error={detail.error} onRetry={() => void detail.refetch()} />;
  return (
    <div className="host-page host-control" data-testid="host-control">
      <div className="host-page-head">
        <Link to="/host" className="btn btn-ghost btn-small">
          {t('live.host.backToList')}
        </Link>
      </div>
      <ControlRoom detail={detail.data} room={room} />
    </div>
  );
}

function ControlRoom({ detail, room }: { detail: SessionDetail; room: LiveRoom }) {
  const { t, i18n } = useTranslation();
  const s = detail.session;
  const live = s.status === 'live';
  const dash = useDashboard(s.id, 5, live ? 2000 : false);
  const act = useKeyedWrite({ sessionId: s.id });
  const [ending, setEnding] = useState(false);
  const [recordingUrl, setRecordingUrl] = useState('');
  const pin = room.synced ? room.pin : detail.pin;
  const flash = room.synced ? room.flashSale : detail.flashSale;
  // Released coupons arrive by the room at once; their claimed counts by the page's re-reads.
  const coupons = useMemo(() => {
    const byId = new Map(detail.coupons.map((c) => [c.id, c]));
    for (const c of room.coupons) {
      const d = byId.get(c.id);
      if (!d || c.claimed > d.claimed) byId.set(c.id, c);
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }, [detail.coupons, room.coupons]);
  const totals = liveTotals(dash.data, room.stats);
  const path = `/host/sessions/${s.id}`;

  return (
    <>
      <section className="card host-head">
        <div className="host-head-main">
          <h1 className="host-head-title">
            <StatusTag status={s.status} /> {s.title}
          </h1>
          <div className="muted small">
            {s.status === 'scheduled' && t('live.host.at', { time: formatTime(s.scheduledAt) })}
            {s.status === 'live' && t('live.host.since', { time: formatTime(s.startedAt) })}
            {s.status === 'ended' && t('live.host.endedAt', { time: formatTime(s.endedAt) })}
            {' · '}
            <span className="mono">{s.streamUrl}</span>
          </div>
        </div>
        <div className="host-actions">
          {s.status === 'scheduled' && (
            <button type="button" className="btn btn-accent" data-testid="host-go-live" disabled={act.isPending} onClick={() => act.mutate({ method: 'POST', path: `${path}/start`, body: {} })}>
              {t('live.host.goLive')}
            </button>
          )}
          {s.status === 'scheduled' && (
            <button
              type="button"
              className="btn btn-ghost"
              data-testid="host-cancel-session"
              disabled={act.isPending}
              onClick={() => window.confirm(t('live.host.cancelConfirm')) && act.mutate({ method: 'POST', path: `${path}/cancel`, body: {} })}
            >
              {t('live.host.cancelSession')}
            </button>
          )}
          {live && !ending && (
            <button type="button" className="btn btn-ghost" data-testid="host-end" onClick={() => setEnding(true)}>
              {t('live.host.end')}
            </button>
          )}
          <Link to={`/live/${s.id}`} target="_blank" className="btn btn-ghost btn-small">
            {t('live.host.viewerPage')}
          </Link>
          {s.status !== 'scheduled' && (
            <Link to={`${path}/dashboard`} className="btn btn-secondary btn-small" data-testid="host-open-dashboard">
              {t('live.dash.title')}
            </Link>
          )}
        </div>
        {ending && (
          <form
            className="host-end-form"
            onSubmit={(e) => {
              e.preventDefault();
              act.mutate({ method: 'POST', path: `${path}/end`, body: recordingUrl.trim() ? { recordingUrl: recordingUrl.trim() } : {} });
              setEnding(false);
            }}
          >
            <label className="field">
              <span className="field-label">{t('live.host.recordingUrl')}</span>
              <input type="url" value={recordingUrl} placeholder="https://…/replay.mp4" data-testid="host-recording" onChange={(e) => setRecordingUrl(e.target.value)} />
              <span className="field-hint">{t('live.host.recordingHint')}</span>
            </label>
            <button type="submit" className="btn btn-accent" data-testid="host-end-confirm">
              {t('live.host.endNow')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setEnding(false)}>
              {t('live.host.cancel')}
            </button>
          </form>
        )}
        {s.status === 'ended' && <RecordingForm sessionId={s.id} current={s.recordingUrl} />}
        <ErrorNote error={act.error} />
      </section>

      <section className="live-figures host-figures" data-testid="host-figures">
        <Figure label={t('live.dash.onlineNow')} value={formatCount(room.online, i18n.language)} testId="host-figure-online" />
        <Figure label={t('live.dash.cumulative')} value={formatCount(Math.max(room.cumulative, dash.data?.totals.viewersCumulative ?? 0), i18n.language)} testId="host-figure-cumulative" />
        <Figure label={t('live.dash.orders')} value={String(totals.orders)} testId="host-figure-orders" />
        <Figure label={t('live.dash.gmv')} value={formatFen(totals.gmvFen)} testId="host-figure-gmv" />
        <Figure label={t('live.dash.likes')} value={formatCount(Math.max(room.likes, totals.likes), i18n.language)} testId="host-figure-likes" />
        <span className={`host-conn${room.connected ? ' is-on' : ''}`} title={room.connected ? t('live.host.connected') : t('live.host.offline')} data-testid="host-conn" data-connected={room.connected ? '1' : '0'} />
      </section>

      <div className="host-columns">
        <div className="host-col-main">
          {flash && (
            <section className="card">
              <h2 className="sub-title">{t('live.flash.tag')}</h2>
              <FlashCard sale={flash} item={detail.bag.find((b) => b.skuId === flash.skuId)} canBuy={false} onBuy={() => undefined} />
            </section>
          )}
          <BagPanel detail={detail} pinnedSkuId={pin?.skuId ?? null} flashOpen={flash?.status === 'open'} />
          <CouponsPanel sessionId={s.id} coupons={coupons} canRelease={live} />
        </div>
        <div className="host-col-side">
          <ModeratedChat sessionId={s.id} room={room} hostAccountId={s.hostAccountId} />
          <section className="card">
            <h2 className="sub-title">{t('live.host.recentOrders')}</h2>
            {room.orders.length === 0 ? (
              <p className="muted small">{t('live.host.noOrdersYet')}</p>
            ) : (
              <ul className="host-orders" data-testid="host-orders">
                {room.orders.map((o, i) => (
                  <li key={`${o.at}-${i}`} className="small">
                    <span className="muted">{formatTime(o.at).slice(11)}</span> {o.name} · {o.title} ×{o.quantity}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

/** After the session: the recording the replay plays (the streaming service may make it later). */
function RecordingForm({ sessionId, current }: { sessionId: number; current: string | null }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(current ?? '');
  const save = useKeyedWrite({ sessionId });
  return (
    <form
      className="host-end-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ method: 'PATCH', path: `/host/sessions/${sessionId}`, body: { recordingUrl: url.trim() || null } });
      }}
    >
      <label className="field">
        <span className="field-label">{t('live.host.recordingUrl')}</span>
        <input type="url" value={url} placeholder="https://…/replay.mp4" data-testid="host-recording-edit" onChange={(e) => setUrl(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-secondary" disabled={save.isPending || url.trim() === (current ?? '')}>
        {t('live.host.save')}
      </button>
      <ErrorNote error={save.error} />
    </form>
  );
}

export function Figure({ label, value, testId, sub }: { label: string; value: string; testId?: string; sub?: string }) {
  return (
    <div className="live-figure" data-testid={testId}>
      <span className="muted small">{label}</span>
      <strong data-testid={testId ? `${testId}-value` : undefined}>{value}</strong>
      {sub && <span className="small live-figure-sub">{sub}</span>}
    </div>
  );
}

function BagPanel({ detail, pinnedSkuId, flashOpen }: { detail: SessionDetail; pinnedSkuId: number | null; flashOpen: boolean }) {
  const { t } = useTranslation();
  const s = detail.session;
  const path = `/host/sessions/${s.id}`;
  const act = useKeyedWrite({ sessionId: s.id });
  const add = useKeyedWrite({ sessionId: s.id, onSuccess: () => setDraft([]) });
  const [flashFor, setFlashFor] = useState<BagItem | null>(null);
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState<BagDraft[]>([]);
  const [badRow, setBadRow] = useState<{ index: number; field: string } | null>(null);
  const open = s.status === 'live' || s.status === 'scheduled';
  const addField = errorField(add.error);
  const taken = useMemo(() => new Set([...detail.bag.map((b) => b.skuId), ...draft.map((d) => d.skuId)]), [detail.bag, draft]);

  const addAll = () => {
    const body = bagBody(draft);
    if (!body.ok) {
      setBadRow({ index: body.index, field: body.field });
      return;
    }
    setBadRow(null);
    // One item per call (the route adds one); the first refusal stops the rest.
    const [first] = body.bag;
    if (first) add.mutate({ method: 'POST', path: `${path}/bag`, body: first }, { onSuccess: () => setDraft((d) => d.slice(1)) });
  };

  return (
    <section className="card">
      <div className="card-head">
        <h2 className="section-title">{t('live.host.bag')}</h2>
        {open && (
          <button type="button" className="btn btn-secondary btn-small" data-testid="host-bag-add-open" onClick={() => setAdding((a) => !a)}>
            {adding ? t('live.host.doneAdding') : t('live.host.addItem')}
          </button>
        )}
      </div>
      <table className="host-table host-bag" data-testid="host-bag">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('live.host.product')}</th>
            <th className="num">{t('live.host.livePrice')}</th>
            <th className="num">{t('live.host.limit')}</th>
            <th className="num">{t('live.host.available')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {detail.bag.map((b, i) => {
            const pinned = b.skuId === pinnedSkuId;
            return (
              <tr key={b.skuId} className={pinned ? 'is-pinned' : ''} data-testid="host-bag-row" data-sku-id={b.skuId} data-pinned={pinned ? '1' : '0'}>
                <td>{i + 1}</td>
                <td>
                  <div className="host-bag-product">
                    <Thumb item={b} size={40} />
                    <span>
                      {b.title}
                      <div className="muted small">{b.spec}</div>
                    </span>
                    {pinned && <span className="live-badge live-badge-pin">{t('live.room.presenting')}</span>}
                  </div>
                </td>
                <td className="num">
                  {formatFen(b.livePriceFen)}
                  {b.normalPriceFen !== null && <div className="muted small">{t('live.host.normal', { price: formatFen(b.normalPriceFen) })}</div>}
                </td>
                <td className="num">{b.limitPerPerson ?? '—'}</td>
                <td className="num">
                  {b.available}
                  <div className="muted small">{t('live.host.ofAllotted', { count: b.allotted })}</div>
                </td>
                <td className="host-row-actions">
                  {s.status === 'live' &&
                    (pinned ? (
                      <button type="button" className="btn btn-ghost btn-small" data-testid="host-unpin" disabled={act.isPending} onClick={() => act.mutate({ method: 'POST', path: `${path}/unpin`, body: {} })}>
                        {t('live.host.unpin')}
                      </button>
                    ) : (
                      <button type="button" className="btn btn-primary btn-small" data-testid="host-pin" disabled={act.isPending} onClick={() => act.mutate({ method: 'POST', path: `${path}/pin`, body: { skuId: b.skuId } })}>
                        {t('live.host.pin')}
                      </button>
                    ))}
                  {s.status === 'live' && (
                    <button type="button" className="btn btn-accent btn-small" data-testid="host-flash-open" disabled={flashOpen || b.available <= 0} title={flashOpen ? t('live.host.flashRunning') : undefined} onClick={() => setFlashFor(b)}>
                      {t('live.flash.tag')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorNote error={act.error} />
      {flashFor && <FlashSaleForm sessionId={s.id} item={flashFor} onDone={() => setFlashFor(null)} />}
      {adding && (
        <div className="host-add" data-testid="host-bag-add">
          <BagDraftTable rows={draft} onChange={setDraft} blamed={badRow ?? (addField ? { index: 0, field: addField } : null)} />
          {badRow && <p className="line-problem">{t(`live.host.bad.${badRow.field}`)}</p>}
          <SkuPicker taken={taken} onPick={(p) => setDraft((d) => [...d, draftOf(p)])} />
          <ErrorNote error={add.error} />
          {draft.length > 0 && (
            <button type="button" className="btn btn-primary" data-testid="host-bag-add-save" disabled={add.isPending} onClick={addAll}>
              {t('live.host.addToBag', { count: draft.length })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function CouponsPanel({ sessionId, coupons, canRelease }: { sessionId: number; coupons: LiveCoupon[]; canRelease: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="host-coupons">
      <h2 className="section-title">{t('live.coupon.title')}</h2>
      {coupons.length > 0 && (
        <table className="host-table">
          <thead>
            <tr>
              <th className="num">{t('live.coupon.amount')}</th>
              <th className="num">{t('live.coupon.minSpend')}</th>
              <th className="num">{t('live.coupon.claimedOf')}</th>
              <th>{t('live.coupon.expires')}</th>
            </tr>
          </thead>
          <tbody>
            {coupons.map((c) => (
              <tr key={c.id} data-testid="host-coupon-row">
                <td className="num">{formatFen(c.amountFen)}</td>
                <td className="num">{formatFen(c.minSpendFen)}</td>
                <td className="num">
                  {c.claimed} / {c.quantity}
                </td>
                <td>{formatTime(c.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRelease ? <CouponForm sessionId={sessionId} /> : coupons.length === 0 && <p className="muted small">{t('live.coupon.none')}</p>}
    </section>
  );
}

function ModeratedChat({ sessionId, room, hostAccountId }: { sessionId: number; room: LiveRoom; hostAccountId: number }) {
  const { t } = useTranslation();
  const [muted, setMuted] = useState<Map<number, string>>(() => new Map());
  const path = `/host/sessions/${sessionId}`;
  const mod = useKeyedWrite();
  const mute = (m: ChatMessage) =>
    mod.mutate({ method: 'POST', path: `${path}/mutes`, body: { accountId: m.accountId } }, { onSuccess: () => setMuted((x) => new Map(x).set(m.accountId, m.name)) });
  const unmute = (accountId: number) =>
    mod.mutate(
      { method: 'DELETE', path: `${path}/mutes/${accountId}` },
      {
        onSuccess: () =>
          setMuted((x) => {
            const n = new Map(x);
            n.delete(accountId);
            return n;
          }),
      },
    );
  const remove = (m: ChatMessage) => mod.mutate({ method: 'DELETE', path: `${path}/chat/${m.id}` });
  const mutedIds = useMemo(() => new Set(muted.keys()), [muted]);
  return (
    <section className="card host-chat">
      <h2 className="sub-title">{t('live.chat.title')}</h2>
      <ChatPanel
        messages={room.chat}
        onSend={room.sendChat}
        error={room.error}
        clearError={room.clearError}
        canChat
        connected={room.connected}
        moderate={{ onMute: mute, onRemove: remove, mutedIds, selfId: hostAccountId }}
      />
      <ErrorNote error={mod.error} />
      {muted.size > 0 && (
        <div className="host-muted" data-testid="host-muted">
          <span className="muted small">{t('live.chat.mutedList')}</span>
          {[...muted].map(([accountId, name]) => (
            <button key={accountId} type="button" className="chip" data-testid="host-unmute" onClick={() => unmute(accountId)}>
              {name} · {t('live.chat.unmute')}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
