// Public surface of the AD Connector preflight check; the CLI calls runPreflight and prints the result.

export { runPreflight, DEFAULT_TIMEOUT_MS, DEFAULT_CONCURRENCY } from './run.js';
export { failureText } from './messages.js';
export {
  PreflightOptionsError,
  type CheckKind,
  type CheckStatus,
  type DomainController,
  type PreflightCheck,
  type PreflightOptions,
  type PreflightPorts,
  type PreflightResult,
} from './types.js';
