import { formatCodatDate, parseCodatDate } from '../../src/codat/codat-dates';

describe('parseCodatDate', () => {
  it.each([
    ['2023-04-12T10:52:54.5359678Z', '2023-04-12T10:52:54.535Z'],
    ['2023-06-14T11:39:00Z', '2023-06-14T11:39:00.000Z'],
    ['2021-11-15T01:00:00', '2021-11-15T01:00:00.000Z'],
    ['2021-11-15T01:00:00-05:00', '2021-11-15T06:00:00.000Z'],
    ['2021-11-15T01:00:00.1234567+02:30', '2021-11-14T22:30:00.123Z'],
    ['2022-10-23', '2022-10-23T00:00:00.000Z'],
    ['2024-02-29T23:59:59.9999999Z', '2024-02-29T23:59:59.999Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseCodatDate(input)?.toISOString()).toBe(expected);
  });

  it.each([null, undefined, '', 'yesterday', '2023-02-30T00:00:00Z', '2023-13-01T00:00:00Z', '2023-01-01T25:00:00Z', '12/04/2023'])(
    'gives undefined for %p',
    (input) => {
      expect(parseCodatDate(input)).toBeUndefined();
    },
  );
});

describe('formatCodatDate', () => {
  it('sends UTC with milliseconds and Z', () => {
    expect(formatCodatDate(new Date('2024-05-01T02:00:00+02:00'))).toBe('2024-05-01T00:00:00.000Z');
  });
});
