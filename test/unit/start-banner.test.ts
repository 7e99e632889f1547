import { bannerLines, describeStart, startLinks } from '../../src/start-banner';

// The banner's links (src/start-banner.ts): the web UI's two pages come first when WEB_UI is on.

const facts = (webUi: boolean) => ({
  listenUrl: 'http://0.0.0.0:4000',
  links: startLinks({ production: false, webUi }),
  codatBaseUrl: 'https://api.codat.io',
  auth: { mode: 'none', introspection: 'authenticated' },
});

describe('the start banner', () => {
  it('names the sync health page and the explorer first when the web UI is on', () => {
    const lines = bannerLines(describeStart(facts(true)));
    expect(lines.slice(0, 4)).toEqual([
      'codat-commerce-subgraph ready at http://localhost:4000/graphql',
      "  Sync health  http://localhost:4000/  (the merchants' commerce syncs, in a browser)",
      '  Explorer     http://localhost:4000/explorer  (GraphiQL with docs, served from here: works offline)',
      "  GraphQL      http://localhost:4000/graphql  (POST queries; in a browser, Apollo Sandbox, loaded from Apollo's CDN)",
    ]);
  });

  it('names neither with WEB_UI=off', () => {
    const urls = describeStart(facts(false)).links.map((link) => link.url);
    expect(urls).toEqual(['http://localhost:4000/graphql', 'http://localhost:4000/healthz']);
  });
});
