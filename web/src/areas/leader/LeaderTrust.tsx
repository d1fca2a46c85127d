// The leader's own trust score (docs/insights.md, "Trust score") and the commission tier it
// earns: a line on 今日, the whole card (parts and tier ladder) on 佣金. The tier is what
// checkout adds to the level bonus, so the leader sees what to work on and what it pays.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatBp } from '../../api/fulfilment';
import type { LeaderTrustData } from '../../api/trust';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { TrustBadge, trustLines } from '../../components/TrustBadge';
import { useLeaderTrust } from './queries';

/** 今日: the score and the bonus it earns, linking to the card. Nothing until it loads. */
export function LeaderTrustLine() {
  const { t } = useTranslation();
  const q = useLeaderTrust();
  const d = q.data;
  if (!d?.trust) return null;
  return (
    <Link to="/leader/earnings" className="gb-point-meta leader-trust-line" data-testid="leader-trust-line">
      <TrustBadge trust={d.trust} />
      {d.bonusBp > 0 && <span className="leader-trust-bonus">{t('leader.trust.short', { pct: formatBp(d.bonusBp) })}</span>}
    </Link>
  );
}

/** 佣金: the score, where it stands on the region's ladder, the next step, and each part. */
export function LeaderTrustCard() {
  const { t } = useTranslation();
  const q = useLeaderTrust();
  return (
    <section className="card leader-trust" data-testid="leader-trust">
      <div className="card-head">
        <h2 className="section-title">{t('leader.trust.title')}</h2>
        {q.data && <TrustBadge trust={q.data.trust} />}
      </div>
      {q.isPending ? <Loading /> : q.error ? <ErrorNote error={q.error} onRetry={() => void q.refetch()} /> : <TrustBody d={q.data} />}
    </section>
  );
}

function TrustBody({ d }: { d: LeaderTrustData }) {
  const { t } = useTranslation();
  const score = d.trust?.score ?? null;
  // The ladder's step the score stands on: the highest reached (tiers come lowest first).
  const current = score === null ? null : ([...d.tiers].reverse().find((x) => score >= x.minScore) ?? null);
  return (
    <>
      {score === null ? (
        <p className="muted small">{t('leader.trust.none')}</p>
      ) : (
        <div className="leader-trust-head">
          <div className="leader-trust-score" data-testid="leader-trust-score">
            {score}
            <span className="kpi-label">{t('leader.trust.score')}</span>
          </div>
          <div>
            <div className="leader-trust-tier" data-testid="leader-trust-tier" data-bonus-bp={d.bonusBp}>
              {d.bonusBp > 0 ? t('leader.trust.earns', { score, pct: formatBp(d.bonusBp) }) : t('leader.trust.earnsNothing', { score })}
            </div>
            <div className="muted small" data-testid="leader-trust-next">
              {d.next ? t('leader.trust.next', { score: d.next.minScore, pct: formatBp(d.next.bonusBp), gap: d.next.minScore - score }) : t('leader.trust.top')}
            </div>
          </div>
        </div>
      )}
      {d.tiers.length > 0 && (
        <>
          <h3 className="leader-trust-sub">{t('leader.trust.ladder')}</h3>
          <ol className="leader-trust-ladder">
            {d.tiers.map((x) => (
              <li key={x.minScore} className={x === current ? 'is-current' : undefined}>
                <span>{t('leader.trust.tier', { score: x.minScore })}</span>
                <span>
                  {t('leader.trust.tierBonus', { pct: formatBp(x.bonusBp), bp: x.bonusBp })}
                  {x === current && <span className="tag tag-current">{t('leader.trust.current')}</span>}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {d.trust && (
        <>
          <h3 className="leader-trust-sub">{t('leader.trust.parts')}</h3>
          <ul className="leader-trust-parts">
            {trustLines(d.trust, t).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="muted small">{t('leader.trust.updated', { at: formatTime(d.trust.computedAt) })}</p>
        </>
      )}
      <p className="muted small">{t('leader.trust.hint')}</p>
    </>
  );
}
