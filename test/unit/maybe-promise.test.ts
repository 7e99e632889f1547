import { andThen } from '../../src/lib/maybe-promise';

describe('andThen', () => {
  it('applies the next step at once to a value that is here', () => {
    expect(andThen(2, (n) => n * 3)).toBe(6);
  });

  it('applies it after a promise settles, and passes a rejection through untouched', async () => {
    const later = andThen(Promise.resolve(2), (n) => n * 3);
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toBe(6);
    const failure = new Error('upstream');
    const next = jest.fn((n: number) => n);
    await expect(andThen(Promise.reject<number>(failure), next)).rejects.toBe(failure);
    expect(next).not.toHaveBeenCalled();
  });
});
