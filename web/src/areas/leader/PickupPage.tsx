import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiError, post } from '../../api/client';
import { newIdempotencyKey } from '../../api/commerce';
import { parsePickupQr, type PickupCandidate, type PickupResult } from '../../api/groupbuy';
import { ErrorNote } from '../../components/ErrorNote';
import { Stepper } from '../../components/Stepper';
import { formatTime } from '../../components/time';

// "Undo" shows for the region's undo window (from the leader's overview); the server refuses a
// late one with 409 anyway, shown as its reason.
type Lookup = { code: string } | { qr: string };

/** The server's 409 reasons in the leader's language; anything unknown as it came. */
function conflictNote(t: TFunction, err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const m = err.message;
  if (/not been signed in/.test(m)) return t('leader.pickup.why.notArrived');
  if (/already picked up/.test(m)) return t('leader.pickup.why.alreadyPicked');
  if (/was refunded/.test(m)) return t('leader.pickup.why.refunded');
  if (/nothing is left/.test(m)) return t('leader.pickup.nothingLeft');
  if (/already undone/.test(m)) return t('leader.pickup.why.alreadyUndone');
  if (/can be undone within/.test(m)) return t('leader.pickup.why.undoExpired');
  return m;
}

/**
 * 核销: a big field a keyboard-wedge scanner types into (then Enter), or the leader types the
 * 6–8 digit code, or pastes the QR text; the matching order(s) with steppers for partial
 * pickup; confirm; and undo for a while after.
 */
export function PickupPage({ pointId, undoWindowS }: { pointId: number; undoWindowS: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const [done, setDone] = useState<{ result: PickupResult; at: number; candidate: PickupCandidate } | null>(null);

  const lookup = useMutation({
    mutationFn: (body: Lookup) => post<PickupCandidate[]>(`/pickup-points/${pointId}/pickups/lookup`, body),
  });

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const v = text.trim();
    const qr = parsePickupQr(v);
    const digits = v.replace(/\s/g, '');
    if (qr) lookup.mutate({ qr: v });
    else if (/^\d{6,8}$/.test(digits)) lookup.mutate({ code: digits });
    else return setBad(true);
    setBad(false);
  };

  const codeOf = (v: Lookup | undefined): string => (!v ? '' : 'code' in v ? v.code : (parsePickupQr(v.qr)?.code ?? ''));
  const onPicked = (result: PickupResult, candidate: PickupCandidate) => {
    setDone({ result, at: Date.now(), candidate });
    setText('');
    lookup.reset();
    void qc.invalidateQueries({ queryKey: ['leader', 'orders'] });
    void qc.invalidateQueries({ queryKey: ['relay'] });
    input.current?.focus();
  };

  useEffect(() => input.current?.focus(), []);

  const candidates = lookup.data ?? null;
  return (
    <>
      <section className="card pickup-scan">
        <h1 className="section-title">{t('leader.pickup.title')}</h1>
        <form onSubmit={submit} className="pickup-form">
          <input
            ref={input}
            className={`pickup-input${bad ? ' is-invalid' : ''}`}
            data-testid="pickup-code-input"
            inputMode="numeric"
            autoComplete="off"
            enterKeyHint="search"
            aria-label={t('leader.pickup.inputLabel')}
            placeholder={t('leader.pickup.placeholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setBad(false);
            }}
          />
          <button type="submit" className="btn btn-primary" data-testid="pickup-lookup" disabled={lookup.isPending || !text.trim()}>
            {lookup.isPending ? t('leader.pickup.looking') : t('leader.pickup.lookup')}
          </button>
        </form>
        <p className={`small ${bad ? 'line-problem' : 'muted'}`}>{bad ? t('leader.pickup.badCode') : t('leader.pickup.hint')}</p>
        <ErrorNote error={lookup.error} />
      </section>

      {candidates && candidates.length === 0 && (
        <div className="error-note" role="alert" data-testid="pickup-none">
          <strong>{t('leader.pickup.noMatch')}</strong>
        </div>
      )}
      {candidates?.map((c) => (
        <CandidateCard key={c.orderId} pointId={pointId} candidate={c} code={codeOf(lookup.variables)} onPicked={(r) => onPicked(r, c)} />
      ))}

      {done && <PickedCard done={done} undoWindowMs={undoWindowS * 1000} onUndone={() => setDone(null)} />}
    </>
  );
}

function CandidateCard({
  pointId,
  candidate: c,
  code,
  onPicked,
}: {
  pointId: number;
  candidate: PickupCandidate;
  code: string;
  onPicked: (r: PickupResult) => void;
}) {
  const { t } = useTranslation();
  const [qty, setQty] = useState<Record<number, number>>(() => Object.fromEntries(c.lines.map((l) => [l.orderLineId, l.remaining])));
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const confirm = useMutation({
    mutationFn: (body: { orderId: number; code: string; lines?: Array<{ orderLineId: number; quantity: number }> }) => {
      const text = JSON.stringify(body);
      if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
      return api<PickupResult>(`/pickup-points/${pointId}/pickups`, { method: 'POST', body, headers: { 'Idempotency-Key': attempt.current.key } });
    },
    onSuccess: (r) => {
      attempt.current = null;
      onPicked(r);
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
    },
  });
  const left = c.lines.reduce((s, l) => s + l.remaining, 0);
  const chosen = c.lines.reduce((s, l) => s + (qty[l.orderLineId] ?? 0), 0);
  const partial = c.lines.some((l) => (qty[l.orderLineId] ?? 0) !== l.remaining);
  const go = () =>
    confirm.mutate({
      orderId: c.orderId,
      code,
      ...(partial ? { lines: c.lines.filter((l) => (qty[l.orderLineId] ?? 0) > 0).map((l) => ({ orderLineId: l.orderLineId, quantity: qty[l.orderLineId] ?? 0 })) } : {}),
    });
  return (
    <section className="card pickup-candidate" data-testid="pickup-candidate" data-order-id={c.orderId}>
      <div className="leader-order-head">
        <span className="relay-badge relay-badge-big" data-testid="candidate-relay-no">
          {t('groupbuy.relayNo', { no: c.relayNo })}
        </span>
        <strong className="candidate-name">{c.buyerName}</strong>
        <span className={`order-status os-${c.status}`}>{t(`orders.status.${c.status}`, { defaultValue: c.status })}</span>
      </div>
      <ul className="plain-list">
        {c.lines.map((l) => (
          <li key={l.orderLineId} className="leader-line pickup-line" data-testid="candidate-line">
            <span>
              <span className="cart-name">{l.title}</span>
              <span className="muted small">
                {' '}
                {l.spec} · {t('leader.pickup.lineState', { quantity: l.quantity, picked: l.pickedQuantity, refunded: l.refundedQuantity })}
              </span>
            </span>
            {l.remaining > 0 ? (
              <Stepper
                small
                min={0}
                max={l.remaining}
                value={qty[l.orderLineId] ?? 0}
                label={l.title}
                onChange={(n) => setQty((v) => ({ ...v, [l.orderLineId]: n }))}
              />
            ) : (
              <span className="tag tag-muted">{t('leader.pickup.lineDone')}</span>
            )}
          </li>
        ))}
      </ul>
      {conflictNote(t, confirm.error) ? (
        <div className="error-note" role="alert" data-testid="pickup-error">
          <strong>{t('leader.pickup.conflict')}</strong>
          <span>{conflictNote(t, confirm.error)}</span>
        </div>
      ) : (
        <ErrorNote error={confirm.error} />
      )}
      {left === 0 ? (
        <p className="muted small">{t('leader.pickup.nothingLeft')}</p>
      ) : (
        <button type="button" className="btn btn-accent btn-block leader-submit" data-testid="pickup-confirm" disabled={confirm.isPending || chosen === 0} onClick={go}>
          {confirm.isPending ? t('leader.pickup.confirming') : partial ? t('leader.pickup.confirmPartial', { count: chosen }) : t('leader.pickup.confirmAll', { count: chosen })}
        </button>
      )}
    </section>
  );
}

function PickedCard({
  done,
  undoWindowMs,
  onUndone,
}: {
  done: { result: PickupResult; at: number; candidate: PickupCandidate };
  undoWindowMs: number;
  onUndone: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  const undo = useMutation({
    mutationFn: () => post<{ orderId: number; undone: number }>(`/pickups/${done.result.scanId}/undo`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['leader', 'orders'] });
      void qc.invalidateQueries({ queryKey: ['relay'] });
    },
  });
  const r = done.result;
  const canUndo = now - done.at < undoWindowMs && !undo.isSuccess && !(undo.error instanceof ApiError && undo.error.status === 409);
  return (
    <section className={`card picked-card${undo.isSuccess ? ' is-undone' : ''}`} data-testid="pickup-success" data-scan-id={r.scanId}>
      <div className="picked-head">
        <span className="picked-mark" aria-hidden="true">
          {undo.isSuccess ? '↺' : '✓'}
        </span>
        <div>
          <strong>
            {undo.isSuccess
              ? t('leader.pickup.undone', { count: undo.data.undone })
              : r.completed
                ? t('leader.pickup.doneAll')
                : t('leader.pickup.donePartial')}
          </strong>
          <div className="small muted">
            {t('groupbuy.relayNo', { no: done.candidate.relayNo })} · {done.candidate.buyerName} · {formatTime(new Date(done.at).toISOString())}
          </div>
        </div>
      </div>
      {!undo.isSuccess && (
        <ul className="plain-list small">
          {r.lines.map((l) => (
            <li key={l.orderLineId}>
              {l.title} · {t('leader.pickup.lineState', { quantity: l.quantity, picked: l.pickedQuantity, refunded: l.refundedQuantity })}
            </li>
          ))}
        </ul>
      )}
      {canUndo && (
        <button type="button" className="btn btn-ghost btn-small" data-testid="pickup-undo" disabled={undo.isPending} onClick={() => undo.mutate()}>
          {undo.isPending ? t('leader.pickup.undoing') : t('leader.pickup.undo')}
        </button>
      )}
      {conflictNote(t, undo.error) ? (
        <div className="error-note" role="alert" data-testid="undo-error">
          <strong>{conflictNote(t, undo.error)}</strong>
        </div>
      ) : (
        <ErrorNote error={undo.error} />
      )}
      {undo.isSuccess && (
        <button type="button" className="btn btn-ghost btn-small" onClick={onUndone}>
          {t('groupbuy.share.close')}
        </button>
      )}
    </section>
  );
}
