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
 * - `cost`: the most Codat calls it could need, an upper bound that must hold before anything runs. Each
 *   selection of a marked field counts its mark (see upstream-calls.ts), with two exceptions where the
 *   per-request loaders (src/sync/sync.loader.ts) provably make one call for many selections:
 *   - a read (a marked field on any type but Mutation and Subscription) repeated on the same object with
 *     the same arguments counts once, whatever its aliases or the fragments it comes through: 201 aliases
 *     of `commerceSyncStatus` for one literal companyId cost 1, for 201 companies 201. Arguments are
 *     compared as written (variables by value), so two spellings of one id count twice: still a bound.
 *     Mutations are never merged this way: each alias is a POST of its own.
 *   - the fields under `_entities` count once per distinct representation (a gateway repeats the same
 *     company when it appears in many places; identical representations share one loader key).
 *   What a repeated read selects below it still counts for each repeat (a bound, never an undercount).
 * - `fields`: how many selections of marked fields were counted (what `cost` adds up).
 * - `depth`: the deepest field nesting, fragments flattened. Introspection (`__schema`, `__type`) is left
 *   out: it is answered from the schema without Codat, is off in production, and the standard
 *   introspection query alone is 15 levels deep.
 *
 * Fragments are measured once each and remembered, so a "fragment bomb" (each fragment spreading the
 * next one twice) is measured in linear time: it comes out enormous when its fields differ, and as what
 * it really costs when it repeats one read.
 */
export interface OperationMeasure {
  cost: number;
  fields: number;
  depth: number;
}

/**
 * A selection set's measure before it is added up: `calls` and `fields` that always count, and the reads
 * that count once per key (field name and arguments) on this object, with their marks.
 */
interface Part {
  calls: number;
  fields: number;
  reads: ReadonlyMap<string, number>;
  depth: number;
}

const NO_READS: ReadonlyMap<string, number> = new Map();
const ZERO: Part = Object.freeze({ calls: 0, fields: 0, reads: NO_READS, depth: 0 });
const UNBOUNDED: Part = Object.freeze({
  calls: Number.POSITIVE_INFINITY,
  fields: Number.POSITIVE_INFINITY,
  reads: NO_READS,
  depth: Number.POSITIVE_INFINITY,
});

function callsOf(part: Part): number {
  let calls = part.calls;
  for (const mark of part.reads.values()) calls += mark;
  return calls;
}

function fieldsOf(part: Part): number {
  return part.fields + part.reads.size;
}

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): OperationMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, fields: 0, depth: 0 };
  const part = new OperationWalker(schema, document, variables ?? {}).selectionSet(operation.selectionSet, root);
  return { cost: callsOf(part), fields: fieldsOf(part), depth: part.depth };
}

class OperationWalker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Part>();
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

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType): Part {
    let calls = 0;
    let fields = 0;
    let depth = 0;
    let reads: Map<string, number> | undefined;
    for (const selection of set.selections) {
      let part: Part;
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
      calls += part.calls;
      fields += part.fields;
      depth = Math.max(depth, part.depth);
      for (const [key, mark] of part.reads) {
        reads ??= new Map();
        reads.set(key, Math.max(mark, reads.get(key) ?? 0));
      }
    }
    return { calls, fields, reads: reads ?? NO_READS, depth };
  }

  private field(node: FieldNode, parent: GraphQLCompositeType): Part {
    const name = node.name.value;
    if (name === '__schema' || name === '__type') return ZERO;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!definition) return { ...ZERO, depth: 1 }; // __typename, or a field validation will already have refused
    const type = getNamedType(definition.type);
    const below = node.selectionSet && isCompositeType(type) ? this.selectionSet(node.selectionSet, type) : ZERO;
    const times = parent === this.schema.getQueryType() && name === '_entities' ? this.representations(node) : 1;
    const nested = { calls: times * callsOf(below), fields: times * fieldsOf(below), depth: 1 + below.depth };
    const mark = upstreamCallsOf(definition);
    if (mark === 0) return { ...nested, reads: NO_READS };
    if (this.isWrite(parent)) return { ...nested, calls: nested.calls + mark, fields: nested.fields + 1, reads: NO_READS };
    return { ...nested, reads: new Map([[this.readKey(node), mark]]) };
  }

  /** Mutation and Subscription fields run once per selection: never merged as reads are. */
  private isWrite(parent: GraphQLCompositeType): boolean {
    return parent === this.schema.getMutationType() || parent === this.schema.getSubscriptionType();
  }

  /** A read's identity on its object: its name and its arguments as given (variables by their value), in name order. */
  private readKey(node: FieldNode): string {
    const args = [...(node.arguments ?? [])]
      .sort((a, b) => a.name.value.localeCompare(b.name.value))
      .map((a) => `${a.name.value}:${this.valueKey(a.value)}`);
    return `${node.name.value}(${args.join(',')})`;
  }

  private valueKey(value: ValueNode): string {
    if (value.kind === Kind.VARIABLE) return JSON.stringify(this.variables[value.name.value]) ?? 'undefined';
    return print(value);
  }

  private fragment(name: string): Part {
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
