import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { homePathFor, useAuth } from '../auth/AuthContext';
import type { Role } from '../api/types';
import { setLang, type Lang } from '../i18n';

export function LangSwitch() {
  const { t, i18n } = useTranslation();
  const next: Lang = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small lang-switch"
      onClick={() => setLang(next)}
      aria-label={t('lang.label')}
      title={t('lang.label')}
    >
      {next === 'en' ? t('lang.en') : t('lang.zh')}
    </button>
  );
}

/** Shown only when the account holds more than one role. */
export function RoleSwitcher() {
  const { t } = useTranslation();
  const { account, role, switchRole } = useAuth();
  const navigate = useNavigate();
  if (!account || account.roles.length < 2) return null;
  return (
    <select
      className="role-switch"
      aria-label={t('roles.label')}
      value={role ?? ''}
      onChange={(e) => {
        const r = e.target.value as Role;
        switchRole(r);
        void navigate(homePathFor(r));
      }}
    >
      {account.roles.map((r) => (
        <option key={r} value={r}>
          {t(`roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

export function LogoutButton() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      onClick={() => {
        void logout().then(() => navigate('/login', { replace: true }));
      }}
    >
      {t('auth.logout')}
    </button>
  );
}

export function HeaderTools() {
  return (
    <div className="header-tools">
      <RoleSwitcher />
      <LangSwitch />
      <LogoutButton />
    </div>
  );
}
