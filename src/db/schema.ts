// Every drizzle table, gathered so the query builder knows them all. Each module owns its
// own `*.schema.ts`; add new ones here.
import * as people from '../modules/people/people.schema';
import * as place from '../modules/place/place.schema';
import * as catalog from '../modules/catalog/catalog.schema';
import * as traffic from '../modules/traffic/traffic.schema';
import * as payments from '../modules/payments/payments.schema';
import * as idempotency from '../modules/idempotency/idempotency.schema';
import * as inventory from '../modules/inventory/inventory.schema';
import * as orders from '../modules/orders/orders.schema';
import * as ledger from '../modules/ledger/ledger.schema';
import * as events from '../modules/events/events.schema';
import * as groupbuy from '../modules/groupbuy/groupbuy.schema';
import * as leaders from '../modules/leaders/leaders.schema';
import * as fulfilment from '../modules/fulfilment/fulfilment.schema';
import * as replenishment from '../modules/stores/replenishment.schema';
import * as stores from '../modules/stores/stores.schema';
import * as pos from '../modules/stores/pos.schema';
import * as live from '../modules/live/live.schema';
import * as liveRoom from '../modules/live/room.schema';
import * as insights from '../modules/insights/insights.schema';
import * as trust from '../modules/trust/trust.schema';

export const schema = {
  accounts: people.accounts,
  accountRoles: people.accountRoles,
  sessions: people.sessions,
  regions: place.regions,
  communities: place.communities,
  warehouses: place.warehouses,
  pickupPoints: place.pickupPoints,
  stores: place.stores,
  storeClerks: place.storeClerks,
  residentHomes: place.residentHomes,
  categories: catalog.categories,
  suppliers: catalog.suppliers,
  products: catalog.products,
  skus: catalog.skus,
  regionSkus: catalog.regionSkus,
  shareLinks: traffic.shareLinks,
  trafficEvents: traffic.trafficEvents,
  payments: payments.payments,
  paymentCallbacks: payments.paymentCallbacks,
  paymentRefunds: payments.paymentRefunds,
  idempotencyRecords: idempotency.idempotencyRecords,
  stockLocations: inventory.stockLocations,
  stockLevels: inventory.stockLevels,
  stockMovements: inventory.stockMovements,
  stockHolds: inventory.stockHolds,
  purchaseCounters: inventory.purchaseCounters,
  orders: orders.orders,
  orderLines: orders.orderLines,
  afterSalesRequests: orders.afterSalesRequests,
  refunds: orders.refunds,
  refundLines: orders.refundLines,
  ledgerAccounts: ledger.ledgerAccounts,
  journalEntries: ledger.journalEntries,
  journalLines: ledger.journalLines,
  commissions: ledger.commissions,
  payouts: ledger.payouts,
  outboxEvents: events.outboxEvents,
  processedEvents: events.processedEvents,
  eventRetries: events.eventRetries,
  groupbuySettings: groupbuy.groupbuySettings,
  leaderLevels: leaders.leaderLevels,
  leaderApplications: leaders.leaderApplications,
  leaderProfiles: leaders.leaderProfiles,
  leaderKpiWeeks: leaders.leaderKpiWeeks,
  residentPickupBindings: leaders.residentPickupBindings,
  residentBindingChanges: leaders.residentBindingChanges,
  campaigns: groupbuy.campaigns,
  campaignItems: groupbuy.campaignItems,
  marketRestDays: groupbuy.marketRestDays,
  pickups: fulfilment.pickups,
  waves: fulfilment.waves,
  purchaseOrders: fulfilment.purchaseOrders,
  purchaseOrderLines: fulfilment.purchaseOrderLines,
  deliveryRoutes: fulfilment.deliveryRoutes,
  routeStops: fulfilment.routeStops,
  sortLists: fulfilment.sortLists,
  handoffs: fulfilment.handoffs,
  handoffLines: fulfilment.handoffLines,
  supplierIncidents: fulfilment.supplierIncidents,
  wholesalePrices: replenishment.wholesalePrices,
  replenishmentOrders: replenishment.replenishmentOrders,
  storeApplications: stores.storeApplications,
  storeProfiles: stores.storeProfiles,
  posSales: pos.posSales,
  hostProfiles: live.hostProfiles,
  hostFollows: live.hostFollows,
  liveSessions: live.liveSessions,
  liveBagItems: live.liveBagItems,
  livePins: live.livePins,
  liveFlashSales: live.liveFlashSales,
  liveCoupons: live.liveCoupons,
  liveCouponClaims: live.liveCouponClaims,
  liveTimeline: live.liveTimeline,
  liveChatMessages: liveRoom.liveChatMessages,
  liveMutes: liveRoom.liveMutes,
  liveMinuteStats: liveRoom.liveMinuteStats,
  livePinStats: liveRoom.livePinStats,
  insightsDaily: insights.insightsDaily,
  insightsDailyBuyers: insights.insightsDailyBuyers,
  insightsSkuDaily: insights.insightsSkuDaily,
  insightsRouteDaily: insights.insightsRouteDaily,
  insightsBuyers: insights.insightsBuyers,
  insightsBuyerWeeks: insights.insightsBuyerWeeks,
  insightsCohorts: insights.insightsCohorts,
  insightsCommunityWeeks: insights.insightsCommunityWeeks,
  insightsActorRepeat: insights.insightsActorRepeat,
  insightsPickups: insights.insightsPickups,
  orderRatings: insights.orderRatings,
  trustScores: trust.trustScores,
  trustSettings: trust.trustSettings,
};
