// The bottom of an application decision (团长 or 小店 applications): a reason — required to
// reject, an optional note to approve — the server's refusal if any, and cancel / decide.
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';

export function DecisionFooter({
  approve,
  reason,
  onReason,
  pending,
  error,
  onCancel,
  onDecide,
  testIdPrefix,
}: {
  approve: boolean;
  reason: string;
  onReason: (v: string) => void;
  pending: boolean;
  error: unknown;
  onCancel: () => void;
  onDecide: () => void;
  /** `decision` → decision-reason, decision-submit. */
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <textarea
        rows={3}
        maxLength={200}
        value={reason}
        placeholder={approve ? t('fulfil.leaders.noteOptional') : t('fulfil.leaders.reasonRequired')}
        onChange={(e) => onReason(e.target.value)}
        data-testid={`${testIdPrefix}-reason`}
      />
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
        <button
          type="button"
          className={`btn ${approve ? 'btn-primary' : 'btn-accent'}`}
          disabled={pending || (!approve && !reason.trim())}
          onClick={onDecide}
          data-testid={`${testIdPrefix}-submit`}
        >
          {approve ? t('fulfil.leaders.approve') : t('fulfil.leaders.reject')}
        </button>
      </div>
    </>
  );
}
