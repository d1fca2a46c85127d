export { MatchingService, MAX_RECOMMENDATIONS, type MatchingOptions, type RecommendationItem, type RecommendationList } from './matching.service';
export { buildModel, DEFAULT_PARAMS, FEATURES, type MatchingModel, type MatchingParams, type Purchase, type Reason } from './model';
export { candidatesFor, rankCandidates, recommend, type Recommendation } from './score';
export { recallAtK, ndcgAtK, meanScores, type MethodScore } from './metrics';
export { popularityBaseline, ownHistoryBaseline, popularityRanking } from './baselines';
export { parseTransactions, parseProductCategories, type TransactionRow } from './csv';
export { evaluate, splitByDate, type EvalReport, type EvalOptions } from './evaluate';
