import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { homePathFor, useAuth } from './auth/AuthContext';
import { Loading } from './components/ErrorNote';
import { LoginPage } from './areas/auth/LoginPage';
import { RegisterPage } from './areas/auth/RegisterPage';
import { ShopArea } from './areas/shop/ShopArea';
import { SandboxPayPage } from './areas/pay/SandboxPayPage';

// The back office is desktop-only and heavier; residents on phones never download it.
const AdminArea = lazy(() => import('./areas/admin/AdminArea'));

function RequireAuth({ children, role }: { children: ReactNode; role?: 'operator' }) {
  const { account } = useAuth();
  const location = useLocation();
  if (!account) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (role && !account.roles.includes(role)) return <Navigate to="/shop" replace />;
  return <>{children}</>;
}

function Landing() {
  const { account, role } = useAuth();
  return <Navigate to={account ? homePathFor(role) : '/login'} replace />;
}

/** Older links (and providers' return URLs) name /orders/:id; the page lives in the shop. */
function OrderRedirect() {
  return <Navigate to={`/shop/orders/${useParams().id ?? ''}`} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/" element={<Landing />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/register" element={<RegisterPage />} />
      <Route
        path="/shop/*"
        element={
          <RequireAuth>
            <ShopArea />
          </RequireAuth>
        }
      />
      <Route
        path="/pay/:paymentId"
        element={
          <RequireAuth>
            <SandboxPayPage />
          </RequireAuth>
        }
      />
      <Route path="/orders/:id" element={<OrderRedirect />} />
      <Route
        path="/admin/*"
        element={
          <RequireAuth role="operator">
            <Suspense fallback={<Loading />}>
              <AdminArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route path="*" element={<Landing />} />
    </Routes>
  );
}
