export { CheckoutFlow, DEFAULT_PAYMENT_WINDOW_MS, type CheckoutOptions, type CheckoutDeps } from './checkout';
export { COMMISSION_POLICY, MAX_LINES, MAX_QUANTITY, cstDay, type CheckoutInput, type CheckoutLineInput, type LiveCheckoutSource } from './pricing';
export { orderScope, type CheckoutHooks, type CheckoutResponse, type PaymentOpened, type Placed, type OutboxEventDraft } from './placement';
export { GroupCommitter, isRetryableDbError, type Outcome } from './group-commit';
