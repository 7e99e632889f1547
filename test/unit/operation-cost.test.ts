import 'reflect-metadata';

import { buildSubgraphSchema } from '@apollo/subgraph';
import { assertObjectType, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

import { measureOperation } from '../../src/limits/operation-cost';
import { UPSTREAM_CALLS_EXTENSION, upstreamCallsOf } from '../../src/limits/upstream-calls';
import { buildCommerceSchema } from '../../src/schema';

// A federated schema shaped like the one this subgraph grows into (Company entity with Codat-backed
// fields), marked by hand the way carryUpstreamCalls marks the real one.
function federatedSchema(): GraphQLSchema {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Status { state: String connections: [Connection!] }
        type Connection { id: ID status: String }
        type Company @key(fields: "id") { id: ID! status: Status history: [Status!] }
        type Query { status(id: ID!): Status plain: String double(id: ID!): String }
        type Mutation { start(id: ID!): Status }
      `),
    },
  ]);
  const mark = (type: string, field: string, calls = 1): void => {
    const target = assertObjectType(schema.getType(type)).getFields()[field];
    if (target) target.extensions = { [UPSTREAM_CALLS_EXTENSION]: calls };
  };
  mark('Query', 'status');
  mark('Company', 'status');
  mark('Company', 'history');
  mark('Query', 'double', 2);
  mark('Mutation', 'start');
  return schema;
}

const schema = federatedSchema();

function measure(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!operation) throw new Error('no operation');
  return measureOperation(schema, document, operation, variables);
}

describe('measureOperation', () => {
  it.each([
    ['one Codat-backed field', '{ status(id: "1") { state } }', 1, 1, 2],
    ['a field that needs no Codat call', '{ plain }', 0, 0, 1],
    [
      'aliases of one read once per distinct arguments',
      '{ a: status(id: "1") { state } b: status(id: "1") { state } c: status(id: "2") { state } }',
      2,
      2,
      2,
    ],
    [
      'a read by variable once per distinct value',
      'query ($a: ID!, $b: ID!) { a: status(id: $a) { state } b: status(id: $b) { state } }',
      1,
      1,
      2,
    ],
    ['two spellings of one value twice (a bound, not a guess)', '{ a: status(id: "x") { state } b: status(id: "X") { state } }', 2, 2, 2],
    ['a read repeated through fragments once', '{ ...F ...F } fragment F on Query { status(id: "1") { state } }', 1, 1, 2],
    ['inline fragments', '{ ... on Query { status(id: "1") { state } } ... { status(id: "2") { state } } }', 2, 2, 2],
    ['each mutation, even with the same arguments', 'mutation { a: start(id: "1") { state } b: start(id: "1") { state } }', 2, 2, 2],
    ['nested fields that call nothing', '{ status(id: "1") { connections { id status } } }', 1, 1, 3],
    ['__typename', '{ __typename status(id: "1") { __typename } }', 1, 1, 2],
  ])('counts %s', (_name, query, cost, fields, depth) => {
    expect(measure(query, { a: '1', b: '1' })).toEqual({ cost, fields, depth });
  });

  it('counts a read with a mark above 1 by its mark, once per distinct arguments', () => {
    expect(measure('{ a: double(id: "1") b: double(id: "1") c: double(id: "2") }')).toEqual({ cost: 4, fields: 2, depth: 1 });
  });

  it('counts _entities once per representation, literal or variable, times the Codat fields selected', () => {
    const literal = `{ _entities(representations: [{ __typename: "Company", id: "1" }, { __typename: "Company", id: "2" }]) {
      ... on Company { status { state } history { state } } } }`;
    expect(measure(literal)).toEqual({ cost: 4, fields: 4, depth: 3 });

    const byVariable = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { ...C } } }
      fragment C on Company { status { state } }`;
    const representations = Array.from({ length: 150 }, (_, i) => ({ __typename: 'Company', id: String(i) }));
    expect(measure(byVariable, { r: representations }).cost).toBe(150);
    // Repeats of one company share a loader key: 100 representations of 10 companies cost 10 per field.
    const repeated = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Company', id: String(i % 10) }));
    expect(measure(byVariable, { r: repeated }).cost).toBe(10);
    expect(measure(byVariable, { r: { __typename: 'Company', id: '1' } }).cost).toBe(1);
    expect(measure(byVariable, {}).cost).toBe(0);
  });

  it('costs nothing for _entities that select only key fields', () => {
    expect(measure(`{ _entities(representations: [{ __typename: "Company", id: "1" }]) { ... on Company { id } } }`).cost).toBe(0);
  });

  it('measures a fragment bomb in linear time: as what it costs when it repeats one read, enormous when what it repeats calls', () => {
    const levels = 60;
    const bomb = (type: string, leaf: string): string => {
      const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`);
      return `${fragments.join(' ')} fragment F${levels} on ${type} { ${leaf} }`;
    };
    expect(measure(`{ ...F0 } ${bomb('Query', 'status(id: "1") { state }')}`).cost).toBe(1);
    const entities = `{ _entities(representations: [{ __typename: "Company", id: "1" }]) { ... on Company { ...F0 } } }`;
    expect(measure(`${entities} ${bomb('Company', 'history { connections { id } }')}`).cost).toBe(1);
    expect(measure(`mutation { ...F0 } ${bomb('Mutation', 'start(id: "1") { state }')}`).cost).toBe(2 ** levels);
  });

  it('leaves introspection out of cost and depth', () => {
    expect(measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toEqual({ cost: 0, fields: 0, depth: 0 });
  });
});

describe('the served schema', () => {
  it('carries the upstream-call marks from the resolvers onto the subgraph schema', () => {
    const served = buildCommerceSchema();
    const calls = (type: string, field: string): number => {
      const target = assertObjectType(served.getType(type)).getFields()[field];
      return target ? upstreamCallsOf(target) : -1;
    };
    expect(calls('Query', 'commerceSyncStatus')).toBe(1);
    expect(calls('Query', 'commerceSyncs')).toBe(1);
    expect(calls('Mutation', 'requestSync')).toBe(1);
    expect(calls('Mutation', 'requestSyncRange')).toBe(1);
    // A 404 from these may need the company's status to tell "no such sync" from "no such company".
    expect(calls('Company', 'latestCommerceSync')).toBe(2);
    expect(calls('Company', 'lastSuccessfulCommerceSync')).toBe(2);
    expect(calls('CommerceSyncStatus', 'state')).toBe(0);
  });
});
