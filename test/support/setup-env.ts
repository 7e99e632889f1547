// Nothing Apollo runs in tests may reach Apollo's cloud (see DESIGN.md section 8).
process.env.APOLLO_TELEMETRY_DISABLED = '1';
delete process.env.APOLLO_KEY;
delete process.env.APOLLO_GRAPH_REF;
