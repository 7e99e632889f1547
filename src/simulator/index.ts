// The embedded Codat simulator. It models Codat, not this app: nothing here imports from the rest of src/.
export { CodatSimulator, type SimulatorOptions } from './simulator';
export type { BehaviourKind, BehaviourOptions, SimulatorBehaviour } from './simulator.behaviour';
export type { ErrorStatus } from './simulator.errors';
export type { RecordedRequest } from './simulator.log';
export { SEEDED_COMPANIES, SEEDED_COMPANY_IDS, type NewCompanySpec } from './simulator.seed';
export { SYNC_STATUS_CODES } from './simulator.store';
export type { OperationId } from './simulator.wire';
