import { useTranslation } from 'react-i18next';
import { describeError } from './errors';

/** An inline error box; `title` overrides the generic headline (e.g. "wrong password"). */
export function ErrorNote({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const d = describeError(t, error);
  return (
    <div className="error-note" role="alert">
      <strong>{title ?? d.title}</strong>
      {/* A specific headline (e.g. "wrong password") says it all; the generic one gets the details. */}
      {!title && d.detail && <span className="error-detail">{d.detail}</span>}
      {!title && d.requestId && (
        <span className="error-id">
          {t('errors.requestId')}: {d.requestId}
        </span>
      )}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}
