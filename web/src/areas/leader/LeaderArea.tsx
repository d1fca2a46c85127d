import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { HeaderTools } from '../../components/HeaderTools';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { Logo } from '../../components/Logo';
import { AfterSalesPage } from './AfterSalesPage';
import { ArrivalPage } from './ArrivalPage';
import { LeaderEarningsPage } from './LeaderEarningsPage';
import { LeaderOrdersPage } from './LeaderOrdersPage';
import { LeaderTabBar } from './LeaderTabBar';
import { PickupPage } from './PickupPage';
import { useLeaderMe } from './queries';
import { TodayPage } from './TodayPage';
import '../../styles/orders.css';
import '../../styles/shop.css';
import '../../styles/groupbuy.css';
import '../../styles/leader.css';

/** 团长工作台: the leader's phone console for one pickup point. */
export default function LeaderArea() {
  const { t } = useTranslation();
  const me = useLeaderMe();
  const p = me.data?.pickupPoint;
  return (
    <div className="shop leader">
      <header className="shop-header">
        <Link to="/leader" className="brand">
          <Logo size={28} />
          <span className="brand-name">{t('leader.title')}</span>
        </Link>
        <HeaderTools />
      </header>
      {me.data && me.data.status !== 'active' && (
        <div className="notice" data-testid="leader-status">
          {t(`leader.status.${me.data.status}`, { defaultValue: me.data.status })}
          {me.data.statusReason && <> · {me.data.statusReason}</>}
        </div>
      )}
      <main className="shop-main">
        {me.isPending ? (
          <Loading />
        ) : me.error || !p ? (
          <ErrorNote error={me.error ?? new Error('no pickup point')} title={t('leader.noProfile')} onRetry={() => void me.refetch()} />
        ) : (
          <Routes>
            <Route index element={<TodayPage me={me.data} />} />
            <Route path="orders" element={<LeaderOrdersPage pointId={p.id} />} />
            <Route path="arrival" element={<ArrivalPage pointId={p.id} />} />
            <Route path="pickup" element={<PickupPage pointId={p.id} undoWindowS={me.data.pickupUndoWindowS} />} />
            <Route path="after-sales" element={<AfterSalesPage />} />
            <Route path="earnings" element={<LeaderEarningsPage me={me.data} />} />
          </Routes>
        )}
      </main>
      <LeaderTabBar />
    </div>
  );
}
