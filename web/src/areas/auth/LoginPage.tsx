import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { defaultRole, homePathFor, useAuth } from '../../auth/AuthContext';
import { ErrorNote } from '../../components/ErrorNote';
import { Field, blames } from '../../components/Field';
import { errorField } from '../../components/errors';
import { AuthShell } from './AuthShell';

export function LoginPage() {
  const { t } = useTranslation();
  const { account, role, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (account) return <Navigate to={homePathFor(role)} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const acc = await login(phone.trim(), password);
      const home = homePathFor(defaultRole(acc));
      const from = (location.state as { from?: string } | null)?.from;
      // Go back where the user was headed, if that is inside their area.
      void navigate(from && from.startsWith(home) ? from : home, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const blamed = errorField(error);
  const wrongLogin = error instanceof ApiError && error.status === 401;
  return (
    <AuthShell title={t('auth.loginTitle')}>
      <form className="form-stack" onSubmit={submit} noValidate>
        <Field label={t('auth.phone')} invalid={blames(blamed, 'phone') || wrongLogin}>
          <input
            name="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="username"
            placeholder={t('auth.phonePlaceholder')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            required
          />
        </Field>
        <Field label={t('auth.password')} invalid={blames(blamed, 'password') || wrongLogin}>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <ErrorNote error={error} {...(wrongLogin ? { title: t('errors.badLogin') } : {})} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('auth.loggingIn') : t('auth.login')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.noAccount')} <Link to="/register">{t('auth.toRegister')}</Link>
      </p>
    </AuthShell>
  );
}
