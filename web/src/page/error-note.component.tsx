import { describeError, type SubgraphError } from './error-words';

/** An error from the subgraph, in words, with Codat's message and the correlation id to quote to Codat support. */
export function ErrorNote({ error, nowMs }: { error: SubgraphError; nowMs: number }) {
  const words = describeError(error, nowMs);
  const showCodat = words.codatMessage !== undefined && !words.summary.includes(words.codatMessage);
  return (
    <div className="error-note" data-code={words.code}>
      <p className="error-summary">{words.summary}</p>
      {showCodat && (
        <p className="error-codat">
          Codat said: <q>{words.codatMessage}</q>
        </p>
      )}
      {words.reasons.length > 0 && (
        <ul className="error-reasons">
          {words.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      {words.correlationId && (
        <p className="error-correlation">
          Correlation id: <code>{words.correlationId}</code>
        </p>
      )}
      <p className="error-code">
        <code>{words.code}</code>
      </p>
    </div>
  );
}
