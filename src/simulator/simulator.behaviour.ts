import { ERROR_STATUSES, type ErrorStatus } from './simulator.errors';
import { OPERATION_IDS, type OperationId } from './simulator.wire';

// Behaviours let a test make "Codat" misbehave for one company (or all of them), optionally for one
// operation and for the first N matching requests only, after which normal service resumes. They
// exist so the client's timeouts, retries and error mapping can be tested against a real socket.

export type SimulatorBehaviour =
  /** Answer with this status and an ErrorMessage body; `retryAfter` is sent as the Retry-After header. */
  | { kind: 'status'; status: ErrorStatus; retryAfter?: string; error?: string }
  /** Wait `delayMs` before answering normally. */
  | { kind: 'slow'; delayMs: number }
  /** Never answer: the request stays open until the client gives up or the simulator closes. */
  | { kind: 'hang' }
  /** 200 with an HTML body, as a proxy or maintenance page might send. */
  | { kind: 'non-json' }
  /** 200 with JSON that breaks the spec's schema; `body` replaces the default bad body. */
  | { kind: 'wrong-shape'; body?: unknown }
  /** Reset the TCP connection without answering. */
  | { kind: 'reset' }
  /**
   * Hold the request until `released` settles, then answer normally: lets a test keep one call in
   * flight for exactly as long as it needs (see `CodatSimulator.hold()`), whatever the machine's speed.
   */
  | { kind: 'held'; released: Promise<void> };

export type BehaviourKind = SimulatorBehaviour['kind'];

export interface BehaviourOptions {
  /** Only requests to this operation (the spec's operationId) match. */
  operationId?: OperationId;
  /** Only the first `times` matching requests get the behaviour; unset means until clearBehaviours(). */
  times?: number;
}

interface BehaviourRule {
  readonly companyId: string; // lowercase, or '*'
  readonly behaviour: SimulatorBehaviour;
  readonly operationId: OperationId | undefined;
  remaining: number;
}

/**
 * The behaviours set by a test. Rules apply in the order they were set, so that
 * `429 ×1` then `503 ×1` means "first a 429, then a 503". Rules for the request's own company come
 * before rules set for '*'. A rule without `times` never runs out, so it shadows later rules that
 * match the same requests.
 */
export class BehaviourRules {
  private rules: BehaviourRule[] = [];

  add(companyId: string, behaviour: SimulatorBehaviour, options: BehaviourOptions = {}): void {
    assertValidBehaviour(behaviour);
    const { operationId, times } = options;
    if (operationId !== undefined && !OPERATION_IDS.includes(operationId)) {
      throw new Error(`Unknown operationId "${operationId}"; expected one of ${OPERATION_IDS.join(', ')}`);
    }
    if (times !== undefined && !(Number.isInteger(times) && times > 0)) {
      throw new Error(`times must be a positive integer, got ${String(times)}`);
    }
    this.rules.push({
      companyId: companyId.toLowerCase(),
      behaviour,
      operationId,
      remaining: times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The behaviour for this request, if any; counts the request against the rule's `times`. */
  take(companyId: string | null, operationId: OperationId | null): SimulatorBehaviour | undefined {
    const company = companyId?.toLowerCase();
    const matches = (rule: BehaviourRule, forCompany: string | undefined): boolean =>
      rule.companyId === forCompany && (rule.operationId === undefined || rule.operationId === operationId);
    const rule =
      (company === undefined ? undefined : this.rules.find((r) => matches(r, company))) ?? this.rules.find((r) => matches(r, '*'));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.behaviour;
  }
}

// Tests may be written in plain JS or build behaviours dynamically, so the shape is checked at run time too.
function assertValidBehaviour(behaviour: SimulatorBehaviour): void {
  switch (behaviour.kind) {
    case 'status':
      if (!ERROR_STATUSES.includes(behaviour.status)) {
        throw new Error(`Unsupported status ${String(behaviour.status)}; expected one of ${ERROR_STATUSES.join(', ')}`);
      }
      return;
    case 'slow':
      if (!(Number.isFinite(behaviour.delayMs) && behaviour.delayMs >= 0)) {
        throw new Error(`delayMs must be a finite number >= 0, got ${String(behaviour.delayMs)}`);
      }
      return;
    case 'held':
      if (!(behaviour.released instanceof Promise)) throw new Error('a held behaviour needs a `released` promise');
      return;
    case 'hang':
    case 'non-json':
    case 'wrong-shape':
    case 'reset':
      return;
    default: {
      const unknown: never = behaviour;
      throw new Error(`Unknown behaviour ${JSON.stringify(unknown)}`);
    }
  }
}
