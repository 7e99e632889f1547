/**
 * `npm run -s token -- [options]`: a credential to try the subgraph with authentication on, on this
 * machine. Prints the credential alone on stdout (so `TOKEN=$(npm run -s token -- …)` works) and, on
 * stderr, the settings to start the server with. Keys live in `.dev-auth/` (git-ignored), made on first
 * use; they are for local tries only.
 *
 *   JWT (AUTH_MODE=jwt, AUTH_PUBLIC_KEY):  npm run -s token -- --companies '*' --scope 'commerce-sync:read commerce-sync:write'
 *   api key (AUTH_MODE=api-key):           npm run -s token -- --api-key --name billing-job --companies <id>,<id>
 *
 * Options: --companies '*' | <id>,<id>  (default '*'); --scope '<scopes>' (default read and write);
 * --tenant <name>; --sub <name> (JWT; default dev-user); --expires <seconds> (JWT; default 3600);
 * --issuer, --audience (JWT; defaults below); --name (api key; default dev-key); --dir (default .dev-auth).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type CryptoKey } from 'jose';

import { apiKeyHash } from '../src/auth/api-keys';
import { READ_SCOPE, WRITE_SCOPE } from '../src/auth/caller';

export const DEV_ISSUER = 'https://dev-token.local/';
export const DEV_AUDIENCE = 'codat-commerce-subgraph';

const { values } = parseArgs({
  options: {
    'api-key': { type: 'boolean', default: false },
    companies: { type: 'string', default: '*' },
    scope: { type: 'string', default: `${READ_SCOPE} ${WRITE_SCOPE}` },
    tenant: { type: 'string' },
    sub: { type: 'string', default: 'dev-user' },
    name: { type: 'string', default: 'dev-key' },
    expires: { type: 'string', default: '3600' },
    issuer: { type: 'string', default: DEV_ISSUER },
    audience: { type: 'string', default: DEV_AUDIENCE },
    dir: { type: 'string', default: '.dev-auth' },
  },
});

const dir = resolve(values.dir);
const companies = values.companies === '*' ? '*' : values.companies.split(',').map((id) => id.trim());
const scopes = values.scope.split(' ').filter(Boolean);
const say = (lines: string[]): void => void process.stderr.write(`${lines.join('\n')}\n`);

async function signingKey(): Promise<CryptoKey> {
  const privatePath = join(dir, 'private.pem');
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600 });
    writeFileSync(join(dir, 'public.pem'), await exportSPKI(publicKey));
  }
  return importPKCS8(readFileSync(privatePath, 'utf8'), 'ES256');
}

async function token(): Promise<void> {
  const key = await signingKey();
  const expires = Number(values.expires);
  if (!Number.isInteger(expires) || expires <= 0) throw new Error('--expires must be a number of seconds');
  const jwt = await new SignJWT({
    scope: scopes.join(' '),
    codat_company_ids: companies === '*' ? ['*'] : companies,
    ...(values.tenant ? { tenant: values.tenant } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(values.sub)
    .setIssuer(values.issuer)
    .setAudience(values.audience)
    .setIssuedAt()
    .setExpirationTime(`${expires}s`)
    .sign(key);
  process.stdout.write(`${jwt}\n`);
  say([
    `A JWT for ${values.sub}: scope "${scopes.join(' ')}", companies ${JSON.stringify(companies)}, expires in ${expires} s.`,
    'Start the subgraph so that it accepts it:',
    `  AUTH_MODE=jwt AUTH_PUBLIC_KEY="$(cat ${join(values.dir, 'public.pem')})" AUTH_ISSUER=${values.issuer} AUTH_AUDIENCE=${values.audience} npm start`,
    'and send it as:  -H "authorization: Bearer $TOKEN"',
  ]);
}

function apiKey(): void {
  const key = `ccs_${randomBytes(24).toString('base64url')}`;
  const file = join(dir, 'api-keys.json');
  mkdirSync(dir, { recursive: true });
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { keys: unknown[] }) : { keys: [] };
  const entry = { sha256: apiKeyHash(key), name: values.name, scopes, companies, ...(values.tenant ? { tenant: values.tenant } : {}) };
  writeFileSync(file, `${JSON.stringify({ keys: [...existing.keys, entry] }, null, 2)}\n`);
  process.stdout.write(`${key}\n`);
  say([
    `An api key for ${values.name}; its SHA-256 (never the key) is now in ${join(values.dir, 'api-keys.json')}:`,
    `  ${JSON.stringify(entry)}`,
    'Start the subgraph so that it accepts it:',
    `  AUTH_MODE=api-key AUTH_API_KEYS_FILE=${join(values.dir, 'api-keys.json')} npm start`,
    'and send it as:  -H "x-api-key: $KEY"',
  ]);
}

(values['api-key'] ? Promise.resolve(apiKey()) : token()).catch((error: unknown) => {
  console.error('Failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
