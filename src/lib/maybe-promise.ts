/** A value that is either here already or still to come. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next` applied to a value: at once when the value is here, once it settles when it is a promise (whose
 * rejection then passes through untouched). What lets a field answered from memory stay synchronous:
 * graphql-js completes a field whose resolver returns a plain value without a promise or a tick, and a
 * dashboard has one such field per alias (README, "Performance").
 */
export function andThen<A, B>(value: MaybePromise<A>, next: (value: A) => B): MaybePromise<B> {
  return value instanceof Promise ? value.then(next) : next(value);
}
