import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { post } from '../../api/client';
import { homePathFor, useAuth } from '../../auth/AuthContext';
import { ErrorNote } from '../../components/ErrorNote';
import { Field, blames } from '../../components/Field';
import { errorField } from '../../components/errors';
import { AuthShell } from './AuthShell';

export function RegisterPage() {
  const { t } = useTranslation();
  const { account, role, login } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ phone: '', password: '', displayName: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (account) return <Navigate to={homePathFor(role)} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { phone: form.phone.trim(), password: form.password, displayName: form.displayName.trim() };
      await post('/auth/register', body);
      // Registration does not open a session; sign straight in so the resident lands in the shop.
      await login(body.phone, body.password);
      void navigate('/shop', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const blamed = errorField(error);
  const set = (k: keyof typeof form) => (e: ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });
  return (
    <AuthShell title={t('auth.registerTitle')}>
      <form className="form-stack" onSubmit={submit} noValidate>
        <Field label={t('auth.displayName')} invalid={blames(blamed, 'displayName')}>
          <input name="displayName" autoComplete="nickname" value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field label={t('auth.phone')} invalid={blames(blamed, 'phone')}>
          <input
            name="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            placeholder={t('auth.phonePlaceholder')}
            value={form.phone}
            onChange={set('phone')}
          />
        </Field>
        <Field label={t('auth.password')} invalid={blames(blamed, 'password')} hint={t('auth.passwordHint')}>
          <input name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} />
        </Field>
        <ErrorNote error={error} />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('auth.registering') : t('auth.register')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.haveAccount')} <Link to="/login">{t('auth.toLogin')}</Link>
      </p>
    </AuthShell>
  );
}
