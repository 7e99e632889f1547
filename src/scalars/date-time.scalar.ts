import { GraphQLError, GraphQLScalarType, Kind, type ASTVisitor, type ValueNode } from 'graphql';

import { badUserInput } from '../errors';
import { isRealDateTime } from '../lib/calendar';

/**
 * RFC 3339 date-time that names its zone. A zone-less value is refused rather than guessed: "midnight"
 * in the merchant's zone and in UTC can be a day apart in a sync range.
 */
const RFC3339_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

const EXAMPLES = '"2024-05-01T00:00:00Z" or "2024-05-01T02:00:00+02:00"';

/**
 * Parses client input; throws BAD_USER_INPUT with a message that says what is expected. `name` is what
 * the message calls the value: the argument it was given for when known (a literal in the document),
 * else "DateTime" (a variable: graphql-js then names the variable itself).
 */
export function parseDateTimeInput(value: unknown, name = 'DateTime'): Date {
  const named = name === 'DateTime' ? {} : name.startsWith('$') ? { variableName: name.slice(1) } : { argumentName: name };
  if (typeof value !== 'string') {
    throw badUserInput(`${name} must be a string such as "2024-05-01T00:00:00Z"`, named);
  }
  const shown = JSON.stringify(value.slice(0, 64));
  const match = RFC3339_WITH_ZONE.exec(value);
  if (!match) {
    throw badUserInput(`${name} must be an RFC 3339 date-time with Z or an offset, such as ${EXAMPLES}; got ${shown}`, named);
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(value);
  if (!isRealDateTime(y, mo, d, h, mi, s) || Number.isNaN(date.getTime())) {
    throw badUserInput(`${name} must be a real date and time; got ${shown}`, named);
  }
  return date;
}

/**
 * `toISOString()` of each Date once (about a microsecond each): a cached answer's mapped dates are the
 * same objects for every request and alias (src/sync/sync.reads.ts). The instant is checked on every use,
 * so a Date changed after its first serialisation is serialised again.
 */
const serialized = new WeakMap<Date, { time: number; text: string }>();
function isoText(date: Date): string {
  const time = date.getTime();
  const known = serialized.get(date);
  if (known?.time === time) return known.text;
  const text = date.toISOString();
  serialized.set(date, { time, text });
  return text;
}

/**
 * Where each value literal of a document stands: `end`, `range.start`, `$syncTo` (a variable's default).
 * graphql-js hands a scalar's `parseLiteral` the literal alone, so the validation rule below, which sees
 * the enclosing argument first, writes the name here for `parseLiteral` to read. Keyed by the document's
 * own nodes, so it is forgotten with the document.
 */
const literalNames = new WeakMap<ValueNode, string>();

function nameLiterals(value: ValueNode, name: string): void {
  literalNames.set(value, name);
  if (value.kind === Kind.OBJECT) for (const field of value.fields) nameLiterals(field.value, `${name}.${field.name.value}`);
  if (value.kind === Kind.LIST) value.values.forEach((item, i) => nameLiterals(item, `${name}[${i}]`));
}

/**
 * A validation rule that reports nothing itself: it names the literals (above) before graphql-js's own
 * rule (ValuesOfCorrectTypeRule) parses them, so that a bad DateTime literal's error says which argument
 * it is for; its location comes from the literal (`parseLiteral` below). Two bad dates in one document
 * thus give two errors that say apart which is which. Apollo runs it after the specified rules, and an
 * argument is entered before its value, so the names are there in time. Given to Apollo in
 * src/apollo/apollo-server.ts.
 */
export function nameDateTimeLiteralsRule(): ASTVisitor {
  return {
    Argument(node) {
      nameLiterals(node.value, node.name.value);
    },
    VariableDefinition(node) {
      if (node.defaultValue) nameLiterals(node.defaultValue, `$${node.variable.name.value}`);
    },
  };
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'A point in time. Output: always UTC, RFC 3339 with milliseconds, e.g. "2023-04-12T10:52:54.535Z" (Codat\'s 7-digit fractions are truncated to milliseconds; Codat timestamps without a zone are read as UTC). Input: an RFC 3339 date-time that carries "Z" or an offset such as "+02:00"; values without a zone are rejected with BAD_USER_INPUT.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return isoText(value);
    throw new TypeError('DateTime cannot represent a value that is not a valid Date');
  },
  parseValue: (value) => parseDateTimeInput(value),
  parseLiteral(ast): Date {
    try {
      return parseDateTimeInput(ast.kind === Kind.STRING ? ast.value : undefined, literalNames.get(ast));
    } catch (error) {
      // The same error, pointing at the literal: its `locations` say where in the document it is.
      if (error instanceof GraphQLError) throw new GraphQLError(error.message, { nodes: ast, extensions: error.extensions });
      throw error;
    }
  },
});
