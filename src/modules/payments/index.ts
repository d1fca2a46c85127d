export { PaymentsService, MAX_PAYMENT_FEN } from './payments.service';
export type { CreatePaymentInput, RefundInput, NotificationResult, SucceededHook, RefundHook } from './payments.service';
export type { PaymentRow, RefundRow, CallbackRow } from './payments.repo';
export { PAYMENT_STATUSES, REFUND_STATUSES, NOTIFICATION_KINDS } from './payments.schema';
export type { PaymentStatus, RefundStatus, NotificationKind, CallbackOutcome } from './payments.schema';
export { callbackPath } from './payment-provider';
export type {
  PaymentProvider,
  PaymentNotification,
  CreatePaymentRequest,
  CreatedPayment,
  RefundRequest,
  RefundResult,
  ProviderPaymentStatus,
  NotificationHeaders,
} from './payment-provider';
export { SandboxProvider, createSandbox, SANDBOX } from './sandbox-provider';
export { SandboxGateway } from './sandbox-gateway';
export type { SandboxNotificationBody, SandboxTransport } from './sandbox-gateway';
export { SIGNATURE_HEADER, signatureHeader, verifySignature, DEFAULT_TOLERANCE_SECONDS } from './sandbox-signature';
export { CashProvider, CASH } from './cash-provider';
