import 'reflect-metadata';

import type { GraphQLRequestContextDidResolveOperation, BaseContext } from '@apollo/server';
import { parse, type OperationDefinitionNode } from 'graphql';

import { createCostLimitPlugin, type CostLimitListener } from '../../src/limits/cost-limit.plugin';
import { buildCommerceSchema } from '../../src/schema';

// The cost limit keeps each operation's measure for the next request with the same document (Apollo hands
// every request with one query the same DocumentNode): what it keeps must never answer for variables that
// change the cost.
const schema = buildCommerceSchema();

function listener(): CostLimitListener {
  return createCostLimitPlugin({ maxCost: 200, maxDepth: 10 }).requestDidStart();
}

/** Runs the plugin's check for one request; resolves with the refusal's extensions, or undefined when allowed. */
async function check(
  on: CostLimitListener,
  document: ReturnType<typeof parse>,
  variables?: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const context = {
    schema,
    document,
    operation,
    request: { variables },
  } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>;
  try {
    on.didResolveOperation(context);
    return undefined;
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
}

const representations = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ __typename: 'Company', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));

describe('the cost limit plugin', () => {
  it('measures one document again when the representations it counts differ', async () => {
    const on = listener();
    const document = parse('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { commerceSyncStatus { state } } } }');
    expect(await check(on, document, { r: representations(3) })).toBeUndefined();
    expect(await check(on, document, { r: representations(300) })).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 300, maxCost: 200 });
    expect(await check(on, document, { r: representations(3) })).toBeUndefined();
    expect(await check(on, document, { r: representations(201) })).toMatchObject({ cost: 201 });
  });

  it('gives the same answer for a document it has seen, and for a new document with the same text', async () => {
    const on = listener();
    const text = `{ ${Array.from({ length: 201 }, (_, i) => `a${i}: commerceSyncStatus(companyId: "${representations(201)[i]?.id}") { state }`).join(' ')} }`;
    const document = parse(text);
    const first = await check(on, document);
    expect(first).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 201 });
    expect(await check(on, document)).toEqual(first);
    expect(await check(on, parse(text))).toEqual(first);
    expect(await check(on, parse('{ commerceSyncStatus(companyId: "00000000-0000-4000-8000-000000000000") { state } }'))).toBeUndefined();
  });

  it('refuses too deep an operation every time, from what it kept', async () => {
    const plugin = createCostLimitPlugin({ maxCost: 200, maxDepth: 2 });
    const on = plugin.requestDidStart();
    const deep = parse('{ commerceSyncStatus(companyId: "00000000-0000-4000-8000-000000000000") { dataConnections { id } } }');
    expect(await check(on, deep)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 3, maxDepth: 2 });
    expect(await check(on, deep)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 3, maxDepth: 2 });
  });
});
