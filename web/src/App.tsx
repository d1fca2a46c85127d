import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { homePathFor, useAuth } from './auth/AuthContext';
import type { Role } from './api/types';
import { Loading } from './components/ErrorNote';
import { LoginPage } from './areas/auth/LoginPage';
import { RegisterPage } from './areas/auth/RegisterPage';
import { ShopArea } from './areas/shop/ShopArea';
import { SandboxPayPage } from './areas/pay/SandboxPayPage';
import { ShareLanding } from './areas/shop/groupbuy/ShareLanding';

// The back office is desktop-only and heavier; residents on phones never download it.
const AdminArea = lazy(() => import('./areas/admin/AdminArea'));
// The leader's console (团长工作台) is its own bundle too: residents never need it.
const LeaderArea = lazy(() => import('./areas/leader/LeaderArea'));
// Warehouse staff (desktop) and drivers (phone) each get their own small bundle.
const WarehouseArea = lazy(() => import('./areas/warehouse/WarehouseArea'));
const DriverArea = lazy(() => import('./areas/driver/DriverArea'));
// A neighbourhood store's till and back room (小店): its own bundle, for owners and clerks.
const StoreArea = lazy(() => import('./areas/store/StoreArea'));
// 主播工作台 (hosts, laptop) and the live room (anyone may watch; signing in to chat or buy).
const HostArea = lazy(() => import('./areas/host/HostArea'));
const LiveRoomPage = lazy(() => import('./areas/shop/live/LiveRoomPage'));
// A host's public page: open to anyone, like the rooms that link to it.
const HostPage = lazy(() => import('./areas/shop/live/HostPage'));

/** `role` may list several: any one of them lets the account in (operators may open the warehouse pages). */
function RequireAuth({ children, role }: { children: ReactNode; role?: Role | Role[] }) {
  const { account } = useAuth();
  const location = useLocation();
  if (!account) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (role && !(Array.isArray(role) ? role : [role]).some((r) => account.roles.includes(r))) return <Navigate to="/shop" replace />;
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
      <Route
        path="/leader/*"
        element={
          <RequireAuth role="leader">
            <Suspense fallback={<Loading />}>
              <LeaderArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route path="/s/:code" element={<ShareLanding />} />
      <Route
        path="/warehouse/*"
        element={
          <RequireAuth role={['warehouse_staff', 'operator']}>
            <Suspense fallback={<Loading />}>
              <WarehouseArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route
        path="/driver/*"
        element={
          <RequireAuth role="driver">
            <Suspense fallback={<Loading />}>
              <DriverArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route
        path="/store/*"
        element={
          <RequireAuth role={['store_owner', 'store_clerk']}>
            <Suspense fallback={<Loading />}>
              <StoreArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route
        path="/host/*"
        element={
          <RequireAuth role={['host', 'operator']}>
            <Suspense fallback={<Loading />}>
              <HostArea />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route
        path="/live/:id"
        element={
          <Suspense fallback={<Loading />}>
            <LiveRoomPage />
          </Suspense>
        }
      />
      <Route
        path="/hosts/:accountId"
        element={
          <Suspense fallback={<Loading />}>
            <HostPage />
          </Suspense>
        }
      />
      <Route path="*" element={<Landing />} />
    </Routes>
  );
}
