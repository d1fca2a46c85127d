// Live selling (直播电商): hosts, sessions and their bag, pins, flash sales, coupons and the
// replay timeline (docs/live.md). Reads and the host's profile are here; changes that move
// stock or emit events are in src/flows/live; the realtime room is src/http/live-room.ts.
export {
  LiveService,
  couponView,
  flashSaleView,
  pinView,
  sessionView,
  type BagItemView,
  type CheckoutFlashSale,
  type CheckoutSession,
  type ClaimView,
  type CouponView,
  type FlashSaleView,
  type HostCard,
  type HostProfileInput,
  type HostProfileView,
  type LiveServiceDeps,
  type LiveSessionView,
  type PinView,
  type ReplayView,
  type RoomSnapshot,
  type SessionCard,
  type TimelineEventView,
} from './live.service';
export { LIVE_LIMITS } from './live.rules';
export * as liveRules from './live.rules';
export { LiveRepo, type BagDetailRow, type ClaimDetailRow, type CouponRow, type FlashSaleRow, type LiveSessionRow, type NewTimelineRow, type PinRow } from './sessions.repo';
export { HostsRepo, type HostProfileRow, type TrustCounts } from './hosts.repo';
export {
  hostProfiles,
  hostFollows,
  liveSessions,
  liveBagItems,
  livePins,
  liveFlashSales,
  liveCoupons,
  liveCouponClaims,
  liveTimeline,
  TIMELINE_KINDS,
  type FlashSaleStatus,
  type LiveSessionStatus,
  type TimelineKind,
} from './live.schema';
// The live room (src/http/live-room.ts): chat, mutes, likes, exposures, per-minute figures and the dashboard.
export { LiveRoomService, type LiveRoomDeps } from './room.service';
export { maskName, moderatorTopic, roomTopic, ROOM_TIMING, type ChatMessage, type RoomError, type RoomHub, type RoomSocket } from './room.state';
export { RoomRepo, type PaidLiveOrder } from './room.repo';
export { CHAT_RULES, ChatRateLimiter, checkChatBody } from './chat-limits';
export { MinuteCounters, minuteOf, type MinuteFigures, type PinFigures } from './minute-counters';
export { buildDashboard, type Dashboard } from './dashboard';
export { liveChatMessages, liveMutes, liveMinuteStats, livePinStats } from './room.schema';
