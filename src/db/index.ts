export { openDatabase, redactUrl } from './driver';
export type { Database, Orm, Tx, Executor, BackendKind, OpenOptions, Connection } from './driver';
export { migrate, loadMigrations } from './migrate';
export { ensureTemplate, readTemplate, templatePath, isFreshDataDir, TEMPLATE_CACHE_DIR } from './template';
export { schema } from './schema';
export { selectRows } from './rows';
export { bulkInsert } from './bulk';
