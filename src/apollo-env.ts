/**
 * Imported first by every entry point that runs Apollo code: Apollo's packages may phone home (telemetry,
 * cloud metadata probes) unless told not to. This subgraph sends nothing to Apollo unless an operator
 * opts in explicitly by setting APOLLO_TELEMETRY_DISABLED=0.
 */
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
export {};
