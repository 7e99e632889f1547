import {
  getNamedType,
  print,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

import { upstreamCallsOf } from './upstream-calls';

/**
 * What an operation may cost before it runs:
 * - `cost`: the most Codat calls it could need. Every selection of a marked field counts (see
 *   upstream-calls.ts): two aliases count twice, a fragment spread twice counts twice, and the fields
 *   under `_entities` count once per distinct representation (a gateway repeats the same company when
 *   it appears in many places; identical representations share one loader key, so one call per field).
 *   It is an upper bound: at run time DataLoader may collapse more, but the bound must hold before.
 *   Mutations are marked like any other field, so each costs 1.
 * - `depth`: the deepest field nesting, fragments flattened. Introspection (`__schema`, `__type`) is left
 *   out: it is answered from the schema without Codat, is off in production, and the standard
 *   introspection query alone is 15 levels deep.
 *
 * Fragments are measured once each and remembered, so a "fragment bomb" (each fragment spreading the
 * next one twice) is measured in linear time and simply comes out enormous.
 */
export interface OperationMeasure {
  cost: number;
  depth: number;
}

const ZERO: OperationMeasure = Object.freeze({ cost: 0, depth: 0 });
const UNBOUNDED: OperationMeasure = Object.freeze({ cost: Number.POSITIVE_INFINITY, depth: Number.POSITIVE_INFINITY });

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): OperationMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return ZERO;
  return new OperationWalker(schema, document, variables ?? {}).selectionSet(operation.selectionSet, root);
}

class OperationWalker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, OperationMeasure>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType): OperationMeasure {
    let cost = 0;
    let depth = 0;
    for (const selection of set.selections) {
      let part: OperationMeasure;
      switch (selection.kind) {
        case Kind.FIELD:
          part = this.field(selection, parent);
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
          part = type && isCompositeType(type) ? this.selectionSet(selection.selectionSet, type) : ZERO;
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          part = this.fragment(selection.name.value);
          break;
      }
      cost += part.cost;
      depth = Math.max(depth, part.depth);
    }
    return { cost, depth };
  }

  private field(node: FieldNode, parent: GraphQLCompositeType): OperationMeasure {
    const name = node.name.value;
    if (name === '__schema' || name === '__type') return ZERO;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!definition) return { cost: 0, depth: 1 }; // __typename, or a field validation will already have refused
    const type = getNamedType(definition.type);
    const below = node.selectionSet && isCompositeType(type) ? this.selectionSet(node.selectionSet, type) : ZERO;
    const times = parent === this.schema.getQueryType() && name === '_entities' ? this.representations(node) : 1;
    return { cost: upstreamCallsOf(definition) + times * below.cost, depth: 1 + below.depth };
  }

  private fragment(name: string): OperationMeasure {
    const known = this.measured.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition) return ZERO; // validation refuses unknown fragments before we run
    if (this.inProgress.has(name)) return UNBOUNDED; // a cycle; validation refuses these too
    const type = this.schema.getType(definition.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return ZERO;
    this.inProgress.add(name);
    const measure = this.selectionSet(definition.selectionSet, type);
    this.inProgress.delete(name);
    this.measured.set(name, measure);
    return measure;
  }

  /** How many distinct entities `_entities(representations: …)` asks for, from a literal list or a variable. */
  private representations(node: FieldNode): number {
    const argument = node.arguments?.find((a) => a.name.value === 'representations');
    return argument ? this.listLength(argument.value) : 0;
  }

  private listLength(value: ValueNode): number {
    if (value.kind === Kind.LIST) return new Set(value.values.map((item) => print(item))).size;
    if (value.kind === Kind.VARIABLE) {
      const given = this.variables[value.name.value];
      if (Array.isArray(given)) return new Set(given.map((item) => JSON.stringify(item) ?? 'undefined')).size;
      return given === undefined || given === null ? 0 : 1;
    }
    if (value.kind === Kind.NULL) return 0;
    return 1; // a single value is coerced to a one-item list
  }
}
