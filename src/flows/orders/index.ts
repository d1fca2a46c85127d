export { OrderLifecycle, DEFAULT_AFTER_SALES_WINDOW_MS, type LifecycleDeps, type LifecycleOptions } from './lifecycle';
export { RefundFlow, planRefund, AFTER_SALES_REASONS, type RefundRequest, type RefundLineRequest, type AfterSalesInput, type RefundView } from './refunds';
