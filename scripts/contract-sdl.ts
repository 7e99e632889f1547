/**
 * Prints the subgraph's contract, the SDL committed as `schema.graphql`: our types and fields with their
 * directives (`@key`, `@cacheControl`) behind `extend schema @link(...)`, sorted so diffs are readable.
 *
 * Why not `printSubgraphSchema` alone: since @apollo/subgraph 2.15 it prints the *complete* built schema,
 * including what `buildSubgraphSchema` adds to every subgraph (the `_service` and `_entities` root fields,
 * `_Service`, `_Any`, `_Entity`, and the definitions of every directive and type of the linked federation
 * and link specs). That machinery is the same in every subgraph, undocumented, and not ours to review, so
 * it is left out here; what remains is what 2.14's `printSubgraphSchema` printed. The federation-owned
 * names are read from the schema's own `@link`s (namespaced `federation__*` / `link__*`, plus whatever
 * `import:` brings in unprefixed), not from a list kept here.
 */
import { printSubgraphSchema } from '@apollo/subgraph';
import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  lexicographicSortSchema,
  parse,
  print,
} from 'graphql';

/** Root fields and types that `buildSubgraphSchema` adds to every subgraph. */
const MACHINERY_ROOT_FIELDS = new Set(['_service', '_entities']);
const MACHINERY_TYPES = new Set(['_Service', '_Any', '_Entity']);
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

/** The contract SDL of a built subgraph schema (also of a schema built from its `_service { sdl }`). */
export function printContractSdl(schema: GraphQLSchema): string {
  const document = parse(printSubgraphSchema(lexicographicSortSchema(schema)));
  const owned = specOwnedNames(document);
  const queryName = schema.getQueryType()?.name ?? 'Query';
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    switch (definition.kind) {
      case Kind.SCHEMA_DEFINITION: {
        const standard = definition.operationTypes.every(({ operation, type }) => type.name.value === ROOT_NAMES[operation]);
        // With the standard root names the `schema { ... }` block says nothing: keep only its `@link`s.
        return standard ? [{ kind: Kind.SCHEMA_EXTENSION, directives: definition.directives ?? [] }] : [definition];
      }
      case Kind.DIRECTIVE_DEFINITION:
        return owned.directives(definition.name.value) ? [] : [definition];
      case Kind.OBJECT_TYPE_DEFINITION:
        if (MACHINERY_TYPES.has(definition.name.value)) return [];
        if (definition.name.value !== queryName) return [definition];
        return [{ ...definition, fields: definition.fields?.filter((field) => !MACHINERY_ROOT_FIELDS.has(field.name.value)) }];
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
        return MACHINERY_TYPES.has(definition.name.value) || owned.types(definition.name.value) ? [] : [definition];
      default:
        return [definition];
    }
  });
  return `${print({ ...document, definitions })}\n`;
}

const ROOT_NAMES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** Which directive and type names belong to the federation and link specs, by the schema's `@link`s. */
function specOwnedNames(document: DocumentNode): { directives(name: string): boolean; types(name: string): boolean } {
  // The link spec comes with every Federation 2 subgraph, `@link`ed or not: `@link`, `link__Import`, `link__Purpose`.
  const prefixes = ['link__'];
  const imported = new Set(['@link']);
  const links = document.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION ? (definition.directives ?? []) : [],
  );
  for (const link of links.filter((directive) => directive.name.value === 'link')) {
    if (!stringArgument(link, 'url')?.startsWith(FEDERATION_SPEC)) continue;
    prefixes.push(`${stringArgument(link, 'as') ?? 'federation'}__`);
    const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
    for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
      if (item.kind === Kind.STRING) imported.add(item.value);
      if (item.kind === Kind.OBJECT) {
        const name = item.fields.find((field) => field.name.value === 'as') ?? item.fields.find((field) => field.name.value === 'name');
        if (name?.value.kind === Kind.STRING) imported.add(name.value.value);
      }
    }
  }
  const prefixed = (name: string) => prefixes.some((prefix) => name.startsWith(prefix));
  return {
    directives: (name) => prefixed(name) || imported.has(`@${name}`),
    types: (name) => prefixed(name) || imported.has(name),
  };
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
