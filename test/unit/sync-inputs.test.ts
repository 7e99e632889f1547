import { GraphQLError } from 'graphql';

import { requireCompanyId, requireRange } from '../../src/sync/sync.inputs';

function errorOf(fn: () => unknown): GraphQLError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  return undefined;
}

describe('requireCompanyId', () => {
  it('accepts a UUID and lower-cases it so spellings share one loader key', () => {
    expect(requireCompanyId('8A210B68-6988-11ED-A1EB-0242AC120002')).toBe('8a210b68-6988-11ed-a1eb-0242ac120002');
  });

  it.each([
    '',
    'acme',
    '8a210b68698811eda1eb0242ac120002',
    '../../companies',
    '8a210b68-6988-11ed-a1eb-0242ac12000g',
    ' 8a210b68-6988-11ed-a1eb-0242ac120002',
  ])('refuses %p with BAD_USER_INPUT', (id) => {
    const error = errorOf(() => requireCompanyId(id));
    expect(error?.extensions.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('companyId must be a Codat company id');
  });
});

describe('requireRange', () => {
  it('accepts start before end', () => {
    expect(() => requireRange(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:01Z'))).not.toThrow();
  });

  it.each([
    ['2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['2024-01-01T02:00:00+02:00', '2024-01-01T00:00:00Z'],
  ])('refuses start %s, end %s', (start, end) => {
    expect(errorOf(() => requireRange(new Date(start), new Date(end)))?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
