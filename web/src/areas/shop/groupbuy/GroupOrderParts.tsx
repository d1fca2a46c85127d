// The group-buy parts of the order detail page: the pickup code with its QR, the relay number
// (跟团号), and the steps of a campaign order (paid → cutoff → arrived → picked up).
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { GroupOrder } from '../../../api/groupbuy';
import { ErrorNote } from '../../../components/ErrorNote';
import { QrCode } from '../../../components/QrCode';
import { formatTime } from '../../../components/time';
import { usePickupPoint } from '../orderQueries';
import { pickupDayLabel } from './dates';
import { useCampaign, usePickupCode, useRelay } from './queries';

const OPEN = ['paid', 'fulfilling', 'ready'];

export function PickupCodeCard({ order: o }: { order: GroupOrder }) {
  const { t } = useTranslation();
  const open = OPEN.includes(o.status);
  const code = usePickupCode(o.id, open);
  const point = usePickupPoint(o.pickupPointId);
  const campaign = useCampaign(o.campaignId);
  const relay = useRelay(o.pickupPointId, o.campaignId);
  // The code's answer carries the relay number; a collected order has no code to ask for, so
  // its entry is found on the relay list (numbered by payment time) instead.
  const paidAt = o.paidAt ? new Date(o.paidAt).getTime() : null;
  const relayNo =
    code.data?.relayNo ?? relay.data?.entries.find((e) => paidAt !== null && new Date(e.paidAt).getTime() === paidAt)?.no ?? null;
  if (!open && o.status !== 'completed') return null;
  const p = point.data;
  return (
    <section className="card gb-code-card" data-testid="pickup-card">
      <div className="gb-code-head">
        <div>
          <div className="eyebrow-dark">{t('groupbuy.pickupCode')}</div>
          {relayNo !== null && (
            <div className="gb-relay-no" data-testid="relay-no">
              {t('groupbuy.relayNo', { no: relayNo })}
            </div>
          )}
        </div>
        {campaign.data && <span className="gb-pickup-day">{pickupDayLabel(t, campaign.data.pickupDate)}</span>}
      </div>
      {o.status === 'completed' ? (
        <p className="gb-picked" data-testid="picked-up">
          {t('groupbuy.pickedUp')}
        </p>
      ) : code.data ? (
        <>
          <div className="gb-code" data-testid="pickup-code">
            {code.data.code}
          </div>
          <div className="gb-qr">
            <QrCode text={code.data.qr} size={180} label={t('groupbuy.pickupQr')} testId="pickup-qr" />
          </div>
          <p className="muted small gb-center">{o.status === 'ready' ? t('groupbuy.codeReady') : t('groupbuy.codeHint')}</p>
        </>
      ) : (
        code.error && <ErrorNote error={code.error} onRetry={() => void code.refetch()} />
      )}
      {p && (
        <div className="gb-code-where">
          <div className="where-name">{p.name}</div>
          <div className="muted small">{p.address}</div>
          <div className="muted small">{t('shop.hours', { from: p.opensAt, to: p.closesAt })}</div>
          {o.pickupPointId !== null && (
            <Link to={`/shop/relay/${o.pickupPointId}`} className="small">
              {t('groupbuy.seeRelay')}
            </Link>
          )}
        </div>
      )}
    </section>
  );
}

interface Step {
  key: 'paid' | 'cutoff' | 'arrived' | 'picked';
  done: boolean;
  at: string | null;
}

/** Steps of a campaign order; null for closed ones (the shop's own timeline tells those). */
export function GroupSteps({ order: o }: { order: GroupOrder }) {
  const { t } = useTranslation();
  const campaign = useCampaign(o.campaignId);
  if (!['paid', 'fulfilling', 'ready', 'completed'].includes(o.status)) return null;
  const cutoffAt = campaign.data?.cutoffAt ?? null;
  const cutoffPassed = cutoffAt !== null && new Date(cutoffAt).getTime() <= Date.now();
  const steps: Step[] = [
    { key: 'paid', done: o.paidAt !== null, at: o.paidAt },
    { key: 'cutoff', done: cutoffPassed || ['fulfilling', 'ready', 'completed'].includes(o.status), at: cutoffAt },
    { key: 'arrived', done: ['ready', 'completed'].includes(o.status), at: null },
    { key: 'picked', done: o.status === 'completed', at: o.completedAt },
  ];
  return (
    <section className="card" data-testid="group-steps">
      <h2 className="section-title">{t('orders.timeline')}</h2>
      <ol className="gb-steps">
        {steps.map((s) => (
          <li key={s.key} className={`gb-step${s.done ? ' is-done' : ''}`} data-step={s.key} data-done={s.done}>
            <span className="gb-step-dot" aria-hidden="true" />
            <span className="gb-step-label">{t(`groupbuy.step.${s.key}`)}</span>
            {s.at && <span className="muted small">{formatTime(s.at)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
