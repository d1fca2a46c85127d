import { useTranslation } from 'react-i18next';

/** − n + for a quantity; the minus at `min` is still pressable when `onBelowMin` is given (remove). */
export function Stepper({
  value,
  onChange,
  min = 1,
  max = 999,
  onBelowMin,
  label,
  small,
}: {
  value: number;
  onChange: (n: number) => void;
  min?: number;
  max?: number;
  onBelowMin?: () => void;
  label: string;
  small?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className={`stepper${small ? ' stepper-small' : ''}`} role="group" aria-label={label}>
      <button
        type="button"
        className="stepper-btn"
        aria-label={t('cart.decrease')}
        disabled={value <= min && !onBelowMin}
        onClick={() => (value <= min ? onBelowMin?.() : onChange(value - 1))}
      >
        −
      </button>
      <input
        className="stepper-value"
        inputMode="numeric"
        aria-label={t('cart.quantity')}
        value={value}
        onChange={(e) => {
          const n = Number(e.target.value.replace(/\D/g, ''));
          if (Number.isFinite(n)) onChange(Math.max(min, Math.min(max, n)));
        }}
      />
      <button type="button" className="stepper-btn" aria-label={t('cart.increase')} disabled={value >= max} onClick={() => onChange(value + 1)}>
        +
      </button>
    </div>
  );
}
