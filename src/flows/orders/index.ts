export { OrderLifecycle, DEFAULT_AFTER_SALES_WINDOW_MS, type LifecycleDeps, type LifecycleOptions } from './lifecycle';
export { RefundFlow, planRefund, type RefundRequest, type RefundLineRequest, type AfterSalesInput, type RefundView } from './refunds';
