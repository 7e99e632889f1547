import type { BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';

import { measureOperation, type OperationMeasure } from './operation-cost';
import { codedError } from '../errors';

export interface CostLimitOptions {
  /** `MAX_OPERATION_COST`: the most Codat calls one operation may need. */
  maxCost: number;
  /** `MAX_QUERY_DEPTH`: the deepest field nesting allowed (introspection excepted). */
  maxDepth: number;
}

/**
 * Refuses operations that are too deep or would need too many Codat calls, after validation and before
 * anything executes, so a refused operation costs Codat nothing. The refusal is QUERY_TOO_COMPLEX with
 * HTTP 400 and the measured figures in extensions (`cost`/`maxCost`, or `depth`/`maxDepth`), so a client
 * can see by how much it went over. How cost is counted: src/limits/operation-cost.ts; the part that
 * depends on the document alone is worked out once per document.
 */
export function createCostLimitPlugin(options: CostLimitOptions): CostLimitPlugin {
  const measures = new MeasureCache();
  // One listener for every request: it keeps nothing per request.
  const listener: CostLimitListener = {
    didResolveOperation({ schema, document, operation, request }) {
      if (!operation) return;
      const refusal = limitError(options, () => measures.measure(schema, document, operation, request.variables));
      if (refusal) throw refusal;
    },
  };
  return { requestDidStart: () => listener };
}

/**
 * Apollo's `didResolveOperation`, finishing synchronously: run among the other operation checks in one
 * request listener (src/apollo/one-listener.plugin.ts), where a synchronous hook costs no promise.
 */
export interface CostLimitListener {
  didResolveOperation(requestContext: GraphQLRequestContextDidResolveOperation<BaseContext>): void;
}

export interface CostLimitPlugin {
  requestDidStart(): CostLimitListener;
}

/** Measures kept per operation, keyed by the values of the variables the walk read. */
interface KnownMeasures {
  /** The variables the walk read (e.g. `_entities` representations), in the order it read them. */
  variables: readonly string[];
  byValues: Map<string, OperationMeasure>;
}

/** Entries per operation for different variable values, and the longest key kept: past either, a request is measured afresh. */
const MAX_VALUE_KEYS = 64;
const MAX_VALUE_KEY_LENGTH = 1_024;

/**
 * The walk (operation-cost.ts) depends only on the document and on the variables it reads, so its result
 * is kept for the next request with the same document and the same values of those variables. Apollo
 * parses and validates a query once and hands every request with that query the same DocumentNode (its
 * document store), so entries are kept by operation node and go when the document does. An operation
 * whose walk reads no variable (the usual client query) is measured once; one that reads variables is
 * kept per distinct value while the values are short and few (a poll of one company hits), and measured
 * afresh otherwise (a gateway's `_entities` over many representations: its cost is what it reads).
 */
class MeasureCache {
  private readonly known = new WeakMap<OperationDefinitionNode, KnownMeasures>();

  measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>> | undefined,
  ): OperationMeasure {
    const known = this.known.get(operation);
    const key = known && valueKey(known.variables, variables);
    const hit = key === undefined ? undefined : known?.byValues.get(key);
    if (hit) return hit;

    const read: string[] = [];
    const watched = new Proxy(variables ?? {}, {
      get(target, name, receiver) {
        if (typeof name === 'string' && !read.includes(name)) read.push(name);
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const measure = measureOperation(schema, document, operation, watched);
    const entry = known ?? { variables: read, byValues: new Map<string, OperationMeasure>() };
    if (!known) this.known.set(operation, entry);
    const newKey = valueKey(entry.variables, variables);
    if (newKey !== undefined && entry.byValues.size < MAX_VALUE_KEYS && sameNames(entry.variables, read))
      entry.byValues.set(newKey, measure);
    return measure;
  }
}

/** The values of `names` as one string, or undefined when it would be too long to keep. */
function valueKey(names: readonly string[], variables: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (names.length === 0) return '';
  const key = JSON.stringify(names.map((name) => variables?.[name] ?? null));
  return key.length <= MAX_VALUE_KEY_LENGTH ? key : undefined;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/**
 * The same check for transports Apollo does not run (graphql-ws, graphql-sse: src/live/live-transports.ts):
 * the QUERY_TOO_COMPLEX error for an operation over the limits, or undefined.
 */
export function operationLimitError(
  options: CostLimitOptions,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): GraphQLError | undefined {
  return limitError(options, () => measureOperation(schema, document, operation, variables));
}

/** The QUERY_TOO_COMPLEX error for what `measure` finds over the limits, or undefined. */
function limitError(options: CostLimitOptions, measure: () => OperationMeasure): GraphQLError | undefined {
  let measured: OperationMeasure;
  try {
    measured = measure();
  } catch {
    // Only a pathological document (nesting deep enough to exhaust the stack) gets here.
    return tooComplex('The operation is too complex to measure', {});
  }
  if (measured.depth > options.maxDepth) {
    return tooComplex(`The operation is nested ${measured.depth} levels deep; at most ${options.maxDepth} are allowed`, {
      depth: measured.depth,
      maxDepth: options.maxDepth,
    });
  }
  if (measured.cost > options.maxCost) {
    const cost = Math.min(measured.cost, Number.MAX_SAFE_INTEGER);
    return tooComplex(costMessage(cost, Math.min(measured.fields, Number.MAX_SAFE_INTEGER), options.maxCost), {
      cost,
      maxCost: options.maxCost,
    });
  }
  return undefined;
}

/**
 * Says what was counted: Codat calls, from the Codat-backed fields selected (a read repeated with the same
 * arguments counted once, operation-cost.ts), e.g. "The operation selects 201 Codat-backed fields, which
 * could need 201 calls to Codat; at most 200 calls per operation. Split it into smaller operations."
 */
function costMessage(cost: number, fields: number, maxCost: number): string {
  const selected = `${fields} Codat-backed field${fields === 1 ? '' : 's'}`;
  return `The operation selects ${selected}, which could need ${cost} call${cost === 1 ? '' : 's'} to Codat; at most ${maxCost} calls per operation. Split it into smaller operations.`;
}

function tooComplex(message: string, figures: Record<string, number>): GraphQLError {
  // `http` is read and removed by Apollo: it sets the response status and never reaches the client.
  return codedError('QUERY_TOO_COMPLEX', message, { ...figures, http: { status: 400 } });
}
