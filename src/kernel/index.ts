export * from './errors';
export * from './money';
export * from './clock';
export * from './pagination';
export * from './random';
