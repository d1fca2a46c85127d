export { LiveFlow, LIVE_TOPICS, liveEvent, type BagItemInput, type FlashSaleInput, type LiveFlowDeps, type SessionInput, type SessionPatchInput } from './sessions';
export { CouponFlow, type CouponFlowDeps, type CouponInput } from './coupons';
export { centralLocationFinder } from './central';
