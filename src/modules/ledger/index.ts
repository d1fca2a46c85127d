export { LedgerService } from './ledger.service';
export type { CommissionInput, PaymentInput, RefundInput, RefundLineInput, PayoutDecision, LedgerOptions } from './ledger.service';
export type { Statement, StatementBalances, StatementLine, EntryWithLines, VerifyProblem, PageOptions } from './ledger.reports';
export type { LedgerAccountRow, JournalEntryRow, CommissionRow, PayoutRow, EntryLineView } from './ledger.repo';
export type { EntryInput, EntryLineInput, Bucket } from './ledger.rules';
export { SALES, SALES_REFUNDS, COMMISSION_EXPENSE, psp, beneficiary, describeAccount, reversalTarget } from './ledger.rules';
export { PARTIES, PAYOUT_STATUSES, LEDGER_KINDS } from './ledger.schema';
export type { Party, PayoutStatus, CommissionStatus, LedgerKind } from './ledger.schema';
