// Nothing Apollo runs in tests may reach Apollo's cloud: the entry points do this in src/apollo-env.ts;
// tests go further and never carry an Apollo key or graph ref.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
delete process.env.APOLLO_KEY;
delete process.env.APOLLO_GRAPH_REF;
