// Cash at a store's till (现金). No provider stands between the customer and the store: the
// clerk takes the money, and the POS flow settles the payment in the same request
// (PaymentsService.settleInPerson). So there is nothing to open, no callback to verify (any
// notification naming this provider is refused), and a refund is the clerk handing the cash
// back, which succeeds at once. The ledger books these under `platform:psp:cash`: money held
// in the stores' tills, which the platform never collects (docs/ledger.md, docs/stores.md).
import { DomainError } from '../../kernel';
import type {
  CreatedPayment,
  CreatePaymentRequest,
  PaymentNotification,
  PaymentProvider,
  ProviderPaymentStatus,
  RefundRequest,
  RefundResult,
} from './payment-provider';

export const CASH = 'cash';

export class CashProvider implements PaymentProvider {
  readonly name = CASH;

  async createPayment(req: CreatePaymentRequest): Promise<CreatedPayment> {
    return { providerRef: `cash_${req.paymentId}` };
  }

  verifyNotification(): PaymentNotification {
    throw new DomainError('unauthenticated', 'cash payments are settled at the till; there are no cash callbacks');
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    return { status: 'succeeded', providerRef: `cash_refund_${req.paymentId}_${req.refundRef}` };
  }

  async queryPayment(): Promise<{ status: ProviderPaymentStatus }> {
    // linli's own row is the only record of a cash payment.
    return { status: 'created' };
  }

  async closePayment(): Promise<void> {}
}
