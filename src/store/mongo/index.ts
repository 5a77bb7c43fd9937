export { MongoIncidentStore, type MongoConnectOptions } from './mongo-store';
export { StorageUnavailableError, isUnavailable } from './errors';
export { describeHosts, redact } from './connect';
export { IMPORT_KINDS, addCounts, emptyCounts, type ImportBundle, type ImportCounts, type KindCounts } from './import-all';
