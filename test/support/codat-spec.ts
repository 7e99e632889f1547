/**
 * A validator for Codat's own contract: the OpenAPI 3.1 spec "Sync for Commerce" 1.1
 * (`test/fixtures/codat/Codat-Sync-Commerce.json`, an unmodified copy of Codat's published file; the
 * README beside it says where from).
 *
 * Tests use it to check that what we send to Codat (request bodies, method + path) and what the
 * simulator answers (response bodies) are exactly what Codat documents, so the simulator cannot
 * drift into a friendlier API than the real one.
 *
 * How it works: the whole spec document is registered in Ajv (JSON Schema 2020-12, the default
 * dialect of OpenAPI 3.1) under a synthetic id, and every schema is compiled as a `$ref` into that
 * document (`<id>#/components/schemas/SyncStatus`, `<id>#/paths/...`). That way the spec's refs into
 * non-schema places (`#/components/parameters/companyId/schema`), into properties of other schemas
 * (`#/components/schemas/Connection/properties/created`) and into `definitions` inside schemas
 * (`#/components/schemas/Integration/definitions/sourceType`) resolve exactly as written.
 *
 * Adaptations of the spec's dialect, all made on a private deep copy (nothing else is weakened;
 * `additionalProperties: false`, `required`, `enum`, `format` and types stay enforced):
 *  1. `nullable` (OpenAPI 3.0, not JSON Schema; ignored by 2020-12) is translated so that null is
 *     allowed, as its author meant:
 *       - `type: X, nullable: true`          -> `type: [X, 'null']`
 *       - ... and if the schema has an `enum` -> `null` is added to the enum too (OpenAPI 3.0.3 asks
 *         writers to list null in the enum themselves; the spec's one case, `dataConnectionError.status`,
 *         does not, so without this the `nullable` would be dead);
 *       - no `type` (e.g. `$ref` + `nullable`)  -> the assertions move into
 *         `anyOf: [{ ...assertions }, { type: 'null' }]`; annotations (`description`, `title`, ...)
 *         and `definitions`/`$defs` stay on the outer schema so JSON pointers into it still resolve;
 *       - `nullable: false`                  -> removed (it is the default).
 *     `$ref` siblings such as `description` need no change: in 2020-12 they are legal.
 *  2. OpenAPI-only schema keywords (`example`, `discriminator`, `xml`, `externalDocs`) and `x-*`
 *     extensions are registered as annotation-only Ajv keywords, and so are the OpenAPI document's
 *     own top-level fields (`openapi`, `info`, `paths`, `components`, ...), because Ajv compiles the
 *     registered document's root as a schema. Ajv's strict schema mode stays ON, so any other
 *     unknown keyword (a typo, a keyword from another dialect) still fails loudly at load. The spec's
 *     two made-up keywords, `minValue`/`maxValue` (on `Configuration`'s `syncHour`), are named and
 *     treated the same way: as annotations, which is what any JSON Schema validator makes of them.
 *  3. Formats: ajv-formats (full mode) supplies `uuid`, `date-time`, `uri`, `uri-reference` and
 *     `int32` (an integer in the signed 32-bit range). The non-standard `guid` is validated like
 *     `uuid`. Any other format Ajv does not know is registered as "accept anything" instead of
 *     crashing (the current spec has none; see `unknownFormats` in the code).
 *  4. Ajv's strict mode is on in full except `strictRequired`, a lint that rejects `required`
 *     names missing from `properties`: the spec's `Integration` `dataTypeFeature` requires `datatype`
 *     while its property is spelled `dataType`. Turning the lint off changes nothing that is valid:
 *     `required: ['datatype']` is still enforced, exactly as the spec (mis)states it.
 *  5. OpenAPI `$ref`s to Response / Request Body objects (`#/components/responses/Not-Found`) are
 *     not JSON Schema; they are followed here before the media type's `schema` is compiled.
 * Every adapted schema is then checked against the 2020-12 meta-schema.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';

export interface SpecValidationResult {
  valid: boolean;
  errors: string[];
}

export interface CodatSpec {
  /** operationId from the spec, e.g. 'get-sync-status', 'request-sync-for-date-range' */
  validateRequestBody(operationId: string, body: unknown): SpecValidationResult;
  validateResponse(operationId: string, status: number, body: unknown): SpecValidationResult;
  /** Path template and method of an operation, e.g. { method: 'POST', path: '/meta/companies/{companyId}/sync/commerce/historic' } */
  operation(operationId: string): { method: string; path: string };
  /** Finds the operation that a concrete method + path (e.g. GET /meta/companies/<uuid>/sync/commerce/status) matches */
  matchOperation(method: string, path: string): string | undefined;
}

/** The in-repo copy of Codat's spec (works where only this clone exists, e.g. CI). */
export const CODAT_SPEC_PATH = path.resolve(__dirname, '../fixtures/codat/Codat-Sync-Commerce.json');
/** SHA-256 of the unmodified upstream file, as `test/fixtures/codat/README.md` records it. */
export const CODAT_SPEC_SHA256 = '090abd97c3df1beb3b166d45523ee4f04d5dc16de03a2816889fed2042026e54';

/** Synthetic id under which the spec document is registered in Ajv; only used to resolve refs. */
const SPEC_ID = 'https://codat-spec.test/Codat-Sync-Commerce.json';

/** Marks the pieces added by the `nullable` translation, so their noise can be left out of errors. */
const NULLABLE_WRAPPER = 'x-nullable-wrapper';
const NULL_BRANCH = 'x-nullable-branch';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Fixed fields of an OpenAPI 3.1 document (its root is compiled as a schema: see adaptation 2). */
const OPENAPI_ROOT_FIELDS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
  'externalDocs',
];
/** Schema Object fields that OpenAPI 3.1 adds to JSON Schema 2020-12 (annotations only). */
const OPENAPI_SCHEMA_FIELDS = ['example', 'discriminator', 'xml', 'externalDocs'];
/**
 * Keywords in the spec that are neither JSON Schema nor OpenAPI: `Configuration`'s
 * `syncSchedule.syncHour` has `minValue: 0, maxValue: 23` (meaning `minimum`/`maximum`). Every JSON
 * Schema validator ignores unknown keywords, so they assert nothing in Codat's published contract
 * either; they are registered as annotations (adaptation 2) rather than silently upgraded. Only
 * these named ones are allowed: anything new fails at load, so a human looks at it.
 */
const NON_STANDARD_KEYWORDS_IN_SPEC = ['minValue', 'maxValue'];

/** Keywords whose value is one subschema / an array of subschemas / a map of subschemas. */
const SUBSCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
];
const SUBSCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'];
/** Keywords that stay on the outer schema when `nullable` without `type` is wrapped in `anyOf`. */
const KEEP_OUTSIDE_NULLABLE_WRAPPER = new Set([
  '$id',
  '$schema',
  '$anchor',
  '$dynamicAnchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  ...OPENAPI_SCHEMA_FIELDS,
]);

type JsonObject = Record<string, unknown>;

interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** JSON pointer of the Operation Object in the document. */
  pointer: string;
  object: JsonObject;
  /** Path template split on '/', for matchOperation. */
  segments: TemplateSegment[];
}

interface TemplateSegment {
  /** 2: literal, 1: literal text around a parameter, 0: a whole-segment parameter. */
  rank: number;
  matches(segment: string): boolean;
}

interface Adaptation {
  /** Pointers of the outermost schemas (for meta-schema validation). */
  schemaRoots: string[];
  formats: Set<string>;
  /** `x-*` and OpenAPI-only keywords that occur in schemas or at the document root. */
  annotationKeywords: Set<string>;
}

let cached: CodatSpec | undefined;

/** Loads, adapts and compiles the spec once; later calls return the same instance. */
export function loadCodatSpec(): CodatSpec {
  cached ??= createCodatSpec(JSON.parse(readFileSync(CODAT_SPEC_PATH, 'utf8')) as JsonObject);
  return cached;
}

/** SHA-256 (hex) of a file, for the fixture's integrity test. */
export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function createCodatSpec(original: JsonObject): CodatSpec {
  const doc = structuredClone(original);
  const adaptation = adaptDocument(doc);

  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true, // gives each error its parentSchema, used to drop the nullable translation's noise
    strict: true,
    strictRequired: false, // adaptation 4
  });
  addFormats(ajv);
  ajv.addFormat('guid', fullFormats.uuid);
  const unknownFormats = [...adaptation.formats].filter((name) => ajv.formats[name] === undefined);
  for (const name of unknownFormats) ajv.addFormat(name, true);
  for (const keyword of [...adaptation.annotationKeywords, NULLABLE_WRAPPER, NULL_BRANCH]) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword });
  }

  for (const pointer of adaptation.schemaRoots) {
    if (!ajv.validateSchema(getAt(doc, pointer) as object)) {
      throw new Error(`Codat spec: schema at ${pointer} is not valid JSON Schema 2020-12: ${ajv.errorsText(ajv.errors)}`);
    }
  }
  ajv.addSchema(doc, SPEC_ID);

  const operations = indexOperations(doc);
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`${SPEC_ID}#${toUriFragment(pointer)}`);
      if (!validate) throw new Error(`Codat spec: cannot resolve schema at ${pointer}`);
      validators.set(pointer, validate);
    }
    return validate;
  };

  const getOperation = (operationId: string): Operation => {
    const op = operations.get(operationId);
    if (!op) throw new Error(`Codat spec has no operation '${operationId}'`);
    return op;
  };

  const run = (pointer: string, body: unknown): SpecValidationResult => {
    const validate = validatorAt(pointer);
    return validate(body) ? { valid: true, errors: [] } : { valid: false, errors: formatErrors(validate.errors) };
  };

  // Compile every operation's schemas now, so a spec Ajv cannot handle fails at load, not mid-test.
  for (const op of operations.values()) {
    const request = requestSchemaPointer(doc, op);
    if (request.schema) validatorAt(request.schema);
    for (const status of Object.keys(asObject(op.object.responses) ?? {})) {
      const schema = jsonSchemaPointer(doc, resolveReference(doc, `${op.pointer}/responses/${escapeToken(status)}`));
      if (schema) validatorAt(schema);
    }
  }

  return {
    validateRequestBody(operationId, body) {
      const op = getOperation(operationId);
      const request = requestSchemaPointer(doc, op);
      if (!request.exists) {
        return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: [`${operationId} takes no request body`] };
      }
      if (body === undefined) {
        return request.required ? { valid: false, errors: [`${operationId} requires a request body`] } : { valid: true, errors: [] };
      }
      if (!request.schema) return { valid: false, errors: [`${operationId} documents no JSON request body`] };
      return run(request.schema, body);
    },

    validateResponse(operationId, status, body) {
      const op = getOperation(operationId);
      const responses = asObject(op.object.responses) ?? {};
      const key = [String(status), `${String(status).charAt(0)}XX`, `${String(status).charAt(0)}xx`, 'default'].find(
        (candidate) => candidate in responses,
      );
      if (key === undefined) {
        return { valid: false, errors: [`${operationId} documents no response for status ${status}`] };
      }
      const schema = jsonSchemaPointer(doc, resolveReference(doc, `${op.pointer}/responses/${escapeToken(key)}`));
      if (!schema) {
        return body === undefined || body === ''
          ? { valid: true, errors: [] }
          : { valid: false, errors: [`${operationId} documents no JSON body for status ${status}`] };
      }
      return run(schema, body);
    },

    operation(operationId) {
      const { method, path: template } = getOperation(operationId);
      return { method, path: template };
    },

    matchOperation(method, concretePath) {
      const segments = splitPath(toPathname(concretePath, serverBasePath(doc)));
      let best: { operationId: string; ranks: number[] } | undefined;
      for (const op of operations.values()) {
        if (op.method !== method.toUpperCase() || op.segments.length !== segments.length) continue;
        if (!op.segments.every((template, i) => template.matches(segments[i] ?? ''))) continue;
        const ranks = op.segments.map((template) => template.rank);
        // OpenAPI: "concrete paths are matched before their templated counterparts", segment by segment.
        if (!best || compareRanks(ranks, best.ranks) > 0) best = { operationId: op.operationId, ranks };
      }
      return best?.operationId;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Adapting the document (see the adaptations listed at the top of the file)
// ---------------------------------------------------------------------------------------------

function adaptDocument(doc: JsonObject): Adaptation {
  const adaptation: Adaptation = { schemaRoots: [], formats: new Set(), annotationKeywords: new Set() };
  for (const key of Object.keys(doc)) {
    if (OPENAPI_ROOT_FIELDS.includes(key) || key.startsWith('x-')) adaptation.annotationKeywords.add(key);
    else throw new Error(`Codat spec: unexpected top-level field '${key}'`);
  }
  adaptOpenApiNode(doc, '', adaptation);
  return adaptation;
}

/** Walks the non-schema part of the document and adapts every schema it holds. */
function adaptOpenApiNode(node: unknown, pointer: string, adaptation: Adaptation): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => adaptOpenApiNode(item, `${pointer}/${i}`, adaptation));
    return;
  }
  const object = asObject(node);
  if (!object) return;
  for (const [key, value] of Object.entries(object)) {
    // Example values and extensions are literal data, never schemas.
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    const child = `${pointer}/${escapeToken(key)}`;
    if (key === 'schema' || pointer === '/components/schemas') {
      adaptation.schemaRoots.push(child);
      adaptSchema(value, child, adaptation);
    } else {
      adaptOpenApiNode(value, child, adaptation);
    }
  }
}

/** Adapts one schema and its subschemas in place. */
function adaptSchema(node: unknown, pointer: string, adaptation: Adaptation): void {
  const schema = asObject(node);
  if (!schema) return; // boolean schemas need nothing

  for (const key of Object.keys(schema)) {
    if (key.startsWith('x-') || OPENAPI_SCHEMA_FIELDS.includes(key) || NON_STANDARD_KEYWORDS_IN_SPEC.includes(key)) {
      adaptation.annotationKeywords.add(key);
    }
  }
  if (typeof schema.format === 'string') adaptation.formats.add(schema.format);

  for (const keyword of SUBSCHEMA_KEYWORDS) {
    if (keyword in schema && !Array.isArray(schema[keyword])) {
      adaptSchema(schema[keyword], `${pointer}/${keyword}`, adaptation);
    }
  }
  for (const keyword of SUBSCHEMA_ARRAY_KEYWORDS) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((sub, i) => adaptSchema(sub, `${pointer}/${keyword}/${i}`, adaptation));
  }
  for (const keyword of SUBSCHEMA_MAP_KEYWORDS) {
    const map = asObject(schema[keyword]);
    if (!map) continue;
    for (const [name, sub] of Object.entries(map)) {
      // `dependencies` values may be arrays of property names rather than schemas.
      if (!Array.isArray(sub)) adaptSchema(sub, `${pointer}/${keyword}/${escapeToken(name)}`, adaptation);
    }
  }

  translateNullable(schema, pointer);
}

/** Adaptation 1: OpenAPI's `nullable` as JSON Schema 2020-12. */
function translateNullable(schema: JsonObject, pointer: string): void {
  if (!('nullable' in schema)) return;
  const { nullable } = schema;
  delete schema.nullable;
  if (nullable === false) return;
  if (nullable !== true) throw new Error(`Codat spec: 'nullable' at ${pointer} is not a boolean`);

  if ('type' in schema) {
    const types = Array.isArray(schema.type) ? [...(schema.type as unknown[])] : [schema.type];
    if (!types.includes('null')) types.push('null');
    schema.type = types;
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    return;
  }

  const assertions: JsonObject = {};
  for (const key of Object.keys(schema)) {
    if (KEEP_OUTSIDE_NULLABLE_WRAPPER.has(key) || key.startsWith('x-')) continue;
    assertions[key] = schema[key];
    delete schema[key];
  }
  schema.anyOf = [assertions, { type: 'null', [NULL_BRANCH]: true }];
  schema[NULLABLE_WRAPPER] = true;
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

function indexOperations(doc: JsonObject): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [template, item] of Object.entries(asObject(doc.paths) ?? {})) {
    const pathItem = asObject(item) ?? {};
    for (const method of HTTP_METHODS) {
      const object = asObject(pathItem[method]);
      const operationId = object?.operationId;
      if (!object || typeof operationId !== 'string') continue;
      if (operations.has(operationId)) throw new Error(`Codat spec: duplicate operationId '${operationId}'`);
      operations.set(operationId, {
        operationId,
        method: method.toUpperCase(),
        path: template,
        pointer: `/paths/${escapeToken(template)}/${method}`,
        object,
        segments: splitPath(template).map(toTemplateSegment),
      });
    }
  }
  return operations;
}

function requestSchemaPointer(doc: JsonObject, op: Operation): { exists: boolean; required: boolean; schema: string | undefined } {
  if (!('requestBody' in op.object)) return { exists: false, required: false, schema: undefined };
  const pointer = resolveReference(doc, `${op.pointer}/requestBody`);
  const requestBody = asObject(getAt(doc, pointer)) ?? {};
  return { exists: true, required: requestBody.required === true, schema: jsonSchemaPointer(doc, pointer) };
}

/** Pointer of the JSON media type's schema in a Response / Request Body object, if any. */
function jsonSchemaPointer(doc: JsonObject, pointer: string): string | undefined {
  const content = asObject(asObject(getAt(doc, pointer))?.content);
  if (!content) return undefined;
  const mediaTypes = Object.keys(content);
  const json =
    mediaTypes.find((type) => type === 'application/json') ??
    mediaTypes.find((type) => /^application\/([\w.-]+\+)?json(\s*;.*)?$/i.test(type));
  if (json === undefined || !('schema' in (asObject(content[json]) ?? {}))) return undefined;
  return `${pointer}/content/${escapeToken(json)}/schema`;
}

/** Adaptation 5: follows OpenAPI Reference Objects (`{ $ref: '#/components/responses/...' }`). */
function resolveReference(doc: JsonObject, pointer: string): string {
  const seen = new Set<string>();
  let current = pointer;
  for (;;) {
    const ref = asObject(getAt(doc, current))?.$ref;
    if (typeof ref !== 'string') return current;
    if (!ref.startsWith('#')) throw new Error(`Codat spec: external reference '${ref}' at ${current}`);
    if (seen.has(current)) throw new Error(`Codat spec: reference cycle at ${current}`);
    seen.add(current);
    current = decodeURIComponent(ref.slice(1));
  }
}

function toTemplateSegment(segment: string): TemplateSegment {
  if (!segment.includes('{')) return { rank: 2, matches: (s) => s === segment };
  const pattern = segment
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${pattern}$`);
  return { rank: /^\{[^}]+\}$/.test(segment) ? 0 : 1, matches: (s) => regex.test(s) };
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Accepts a path ('/companies/x?y=1') or an absolute URL; strips the server's base path. */
function toPathname(concrete: string, basePath: string): string {
  let pathname = /^https?:\/\//i.test(concrete) ? new URL(concrete).pathname : concrete.replace(/[?#].*$/, '');
  if (basePath && pathname.startsWith(`${basePath}/`)) pathname = pathname.slice(basePath.length);
  return pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
}

function serverBasePath(doc: JsonObject): string {
  const url = asObject((doc.servers as unknown[] | undefined)?.[0])?.url;
  if (typeof url !== 'string') return '';
  const basePath = /^https?:\/\//i.test(url) ? new URL(url).pathname : url;
  return basePath.replace(/\/$/, '');
}

function splitPath(pathname: string): string[] {
  return pathname.replace(/^\//, '').split('/');
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Ajv errors as `/dataConnections/0/status must be equal to one of the allowed values: ...`. */
function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  const messages = (errors ?? [])
    .filter((error) => {
      const parent = asObject(error.parentSchema);
      // The `{ type: 'null' }` branch and the `anyOf` of a translated `nullable` only repeat the real error.
      if (error.keyword === 'type' && parent?.[NULL_BRANCH]) return false;
      if (error.keyword === 'anyOf' && parent?.[NULLABLE_WRAPPER]) return false;
      return true;
    })
    .map((error) => `${error.instancePath || '(root)'} ${describe(error)}`);
  return [...new Set(messages)];
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${String(params.type).split(',').join(' or ')}`;
    case 'additionalProperties':
      return `must NOT have additional property '${String(params.additionalProperty)}'`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON pointers
// ---------------------------------------------------------------------------------------------

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function getAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node = doc;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else node = asObject(node)?.[key];
    if (node === undefined) return undefined;
  }
  return node;
}

/** A JSON pointer as a URI fragment (`{`, `}` and the like percent-encoded). */
function toUriFragment(pointer: string): string {
  return pointer
    .split('/')
    .map((token) => encodeURIComponent(token))
    .join('/');
}
