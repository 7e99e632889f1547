import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
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
 * can see by how much it went over. How cost is counted: src/limits/operation-cost.ts.
 */
export function createCostLimitPlugin(options: CostLimitOptions): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const refusal = operationLimitError(options, schema, document, operation, request.variables);
          if (refusal) throw refusal;
        },
      };
    },
  };
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
  let measure: OperationMeasure;
  try {
    measure = measureOperation(schema, document, operation, variables);
  } catch {
    // Only a pathological document (nesting deep enough to exhaust the stack) gets here.
    return tooComplex('The operation is too complex to measure', {});
  }
  if (measure.depth > options.maxDepth) {
    return tooComplex(`The operation is nested ${measure.depth} levels deep; at most ${options.maxDepth} are allowed`, {
      depth: measure.depth,
      maxDepth: options.maxDepth,
    });
  }
  if (measure.cost > options.maxCost) {
    const cost = Math.min(measure.cost, Number.MAX_SAFE_INTEGER);
    return tooComplex(costMessage(cost, Math.min(measure.fields, Number.MAX_SAFE_INTEGER), options.maxCost), {
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
