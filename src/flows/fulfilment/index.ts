// Fulfilment flows: the cutoff wave, hand-offs, pickup verification.
export { WaveFlow, type WaveDeps, type WaveOptions, type WaveRun } from './wave';
export { HandoffFlow, checkCounts, type HandoffDeps, type ArrivalView, type CountInput, type LineCount, type Shortage } from './handoffs';
export { PickupFlow, pickPlan, type PickupDeps, type PickupCandidate, type PickupInput, type PickupResult, type LeaderOrder, type CandidateLine } from './pickup';
export { GridReceiptFlow, type GridShare } from './grid-receipt';
