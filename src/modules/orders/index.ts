export { OrdersService } from './orders.service';
export { OrdersRepo, type NewOrder, type NewOrderLine, type OrderFilter, type OrderLineRow, type OrderRow } from './orders.repo';
export { toOrderView, orderNo, linesByOrder, type OrderView, type OrderLineView } from './order-view';
export * from './order-states';
export {
  orders,
  orderLines,
  refunds,
  refundLines,
  afterSalesRequests,
  type CommissionParty,
  type CommissionPlanItem,
  type AfterSalesReason,
  type AfterSalesStatus,
  type RefundKind,
  type RefundStatus,
} from './orders.schema';
export { RefundsRepo, type RefundRow, type RefundLineRow, type AfterSalesRow } from './refunds.repo';
