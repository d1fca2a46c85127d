import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, getToken, onUnauthorized, post, setToken } from '../api/client';
import type { Account, LoginResult, Role } from '../api/types';

const ACCOUNT_KEY = 'linli.account';
const ROLE_KEY = 'linli.role';

interface AuthState {
  account: Account | null;
  /** The role the user is acting in right now (an account may hold several). */
  role: Role | null;
  login(phone: string, password: string): Promise<Account>;
  logout(): Promise<void>;
  switchRole(role: Role): void;
}

const AuthContext = createContext<AuthState | null>(null);

/** Operator work happens in /admin, a leader's in /leader; other roles land in the resident shop for now. */
export function homePathFor(role: Role | null): string {
  if (role === 'leader') return '/leader';
  if (role === 'warehouse_staff') return '/warehouse';
  if (role === 'driver') return '/driver';
  if (role === 'store_owner' || role === 'store_clerk') return '/store';
  if (role === 'host') return '/host';
  return role === 'operator' ? '/admin' : '/shop';
}

/** Which role to act in after sign-in: operators start in the back office. */
export function defaultRole(account: Account): Role {
  if (account.roles.includes('operator')) return 'operator';
  // A leader's day is the console (团长工作台); the role switcher takes them to the shop.
  if (account.roles.includes('leader')) return 'leader';
  if (account.roles.includes('resident')) return 'resident';
  return account.roles[0] ?? 'resident';
}

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  // The cached account lets a reload render immediately; /api/me below confirms it.
  const [account, setAccount] = useState<Account | null>(() => (getToken() ? readJson<Account>(ACCOUNT_KEY) : null));
  const [role, setRole] = useState<Role | null>(() => {
    const saved = localStorage.getItem(ROLE_KEY) as Role | null;
    const acc = getToken() ? readJson<Account>(ACCOUNT_KEY) : null;
    if (!acc) return null;
    return saved && acc.roles.includes(saved) ? saved : defaultRole(acc);
  });

  const clear = useCallback(() => {
    setToken(null);
    localStorage.removeItem(ACCOUNT_KEY);
    localStorage.removeItem(ROLE_KEY);
    setAccount(null);
    setRole(null);
    qc.clear();
  }, [qc]);

  useEffect(() => onUnauthorized(clear), [clear]);

  // Refresh roles from the server once per load (an operator may have granted new ones).
  useEffect(() => {
    if (!getToken()) return;
    const ctrl = new AbortController();
    api<Account>('/me', { signal: ctrl.signal })
      .then((me) => {
        localStorage.setItem(ACCOUNT_KEY, JSON.stringify(me));
        setAccount(me);
        setRole((r) => (r && me.roles.includes(r) ? r : defaultRole(me)));
      })
      .catch(() => undefined);
    return () => ctrl.abort();
  }, []);

  const login = useCallback(
    async (phone: string, password: string) => {
      const res = await post<LoginResult>('/auth/login', { phone, password });
      qc.clear();
      setToken(res.token);
      localStorage.setItem(ACCOUNT_KEY, JSON.stringify(res.account));
      const r = defaultRole(res.account);
      localStorage.setItem(ROLE_KEY, r);
      setAccount(res.account);
      setRole(r);
      return res.account;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    try {
      await post('/auth/logout');
    } catch {
      // the session may already be gone; signing out locally is what matters
    }
    clear();
  }, [clear]);

  const switchRole = useCallback((r: Role) => {
    localStorage.setItem(ROLE_KEY, r);
    setRole(r);
  }, []);

  const value = useMemo(() => ({ account, role, login, logout, switchRole }), [account, role, login, logout, switchRole]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
