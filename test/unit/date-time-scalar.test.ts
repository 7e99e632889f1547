import { GraphQLError, Kind } from 'graphql';

import { DateTimeScalar, parseDateTimeInput } from '../../src/scalars/date-time.scalar';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
}

describe('DateTime input', () => {
  it.each([
    ['2024-05-01T00:00:00Z', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01T02:00:00+02:00', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01T00:00:00.123456789z', '2024-05-01T00:00:00.123Z'],
    ['2023-12-31T19:00:00-05:00', '2024-01-01T00:00:00.000Z'],
  ])('accepts %s', (input, utc) => {
    expect(parseDateTimeInput(input).toISOString()).toBe(utc);
  });

  it.each(['2024-05-01T00:00:00', '2024-05-01', '2024-02-30T00:00:00Z', '2024-05-01T24:00:00Z', 'soon', '', '1714521600'])(
    'refuses %p with BAD_USER_INPUT',
    (input) => {
      expect(codeOf(() => parseDateTimeInput(input))).toBe('BAD_USER_INPUT');
    },
  );

  it('refuses non-string literals with BAD_USER_INPUT', () => {
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1714521600' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseDateTimeInput(1714521600))).toBe('BAD_USER_INPUT');
  });
});

describe('DateTime output', () => {
  it('serialises dates in UTC with milliseconds', () => {
    expect(DateTimeScalar.serialize(new Date('2023-04-12T12:52:54.5+02:00'))).toBe('2023-04-12T10:52:54.500Z');
  });

  it('refuses to serialise anything but a valid Date', () => {
    expect(() => DateTimeScalar.serialize('2023-04-12')).toThrow(TypeError);
    expect(() => DateTimeScalar.serialize(new Date('nope'))).toThrow(TypeError);
  });
});

describe('DateTime output of one Date object', () => {
  it('follows the instant the Date holds, even when it changes after a first serialisation', () => {
    const date = new Date('2023-04-12T10:52:54.535Z');
    expect(DateTimeScalar.serialize(date)).toBe('2023-04-12T10:52:54.535Z');
    expect(DateTimeScalar.serialize(date)).toBe('2023-04-12T10:52:54.535Z');
    date.setTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(DateTimeScalar.serialize(date)).toBe('2024-01-02T03:04:05.006Z');
  });
});
