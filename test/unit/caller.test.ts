import { GraphQLError } from 'graphql';

import { OPEN_CALLER, READ_SCOPE, requireAccess, WRITE_SCOPE, type Caller } from '../../src/auth/caller';

const A = '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11';
const B = '8b2e4c6d-1a3f-4b5c-8d7e-9f0a1b2c3d44';

function refusal(fn: () => void): GraphQLError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('requireAccess', () => {
  const reader: Caller = {
    kind: 'jwt',
    subject: 'ops-dashboard',
    scopes: new Set([READ_SCOPE]),
    companies: new Set([A]),
    tenant: 'default',
  };

  it('lets AUTH_MODE=none read and write every company', () => {
    expect(() => requireAccess(OPEN_CALLER, A, READ_SCOPE)).not.toThrow();
    expect(() => requireAccess(OPEN_CALLER, B, WRITE_SCOPE)).not.toThrow();
  });

  it('lets a caller read the companies it holds', () => {
    expect(() => requireAccess(reader, A, READ_SCOPE)).not.toThrow();
  });

  it('refuses another company with FORBIDDEN, naming the company', () => {
    const error = refusal(() => requireAccess(reader, B, READ_SCOPE));
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', companyId: B });
  });

  it('refuses a missing scope with FORBIDDEN, naming the scope', () => {
    const error = refusal(() => requireAccess(reader, A, WRITE_SCOPE));
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: WRITE_SCOPE });
    expect(error.message).toContain(WRITE_SCOPE);
  });

  it('lets "*" reach every company, scopes still checked', () => {
    const operator: Caller = { ...reader, companies: '*' };
    expect(() => requireAccess(operator, B, READ_SCOPE)).not.toThrow();
    expect(refusal(() => requireAccess(operator, B, WRITE_SCOPE)).extensions.code).toBe('FORBIDDEN');
  });
});
