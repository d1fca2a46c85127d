// A small "信任 82" pill; its tooltip lists each part of the score (rate, how many counted,
// points given), so people see why, not just a number. Nothing before the first computation.
import { useTranslation } from 'react-i18next';
import { TRUST_PARTS, type TrustBadgeData } from '../api/trust';

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function trustLines(trust: TrustBadgeData, t: (key: string, opts?: Record<string, unknown>) => string): string[] {
  return TRUST_PARTS.map((p) => {
    const part = trust.parts[p];
    if (!part) return '';
    const rate = part.rate === null ? t('trust.noData') : p === 'rating' && part.meanStars != null ? `${part.meanStars}★` : percent(part.rate);
    return t('trust.line', { part: t(`trust.part.${p}`), rate, n: part.n, points: part.contribution.toFixed(1) });
  }).filter((l) => l !== '');
}

export function TrustBadge({ trust }: { trust: TrustBadgeData | null | undefined }) {
  const { t } = useTranslation();
  if (!trust) return null;
  const tooltip = [t('trust.title', { score: trust.score }), ...trustLines(trust, t), t('trust.how')].join('\n');
  return (
    <span className="trust-badge" title={tooltip} aria-label={tooltip} data-testid="trust-badge" data-score={trust.score}>
      {t('trust.badge', { score: trust.score })}
    </span>
  );
}
