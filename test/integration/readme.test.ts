import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Kind, parse } from 'graphql';

import { killEntryProcesses, startEntryProcess } from '../support/entry-process';
import { comparable, readmeBlocks, type ReadmeBlock } from '../support/readme-blocks';

/**
 * Every ```graphql block of README.md, run in order as a newcomer would paste them: against one fresh
 * `npm start` (the built entry point, no configuration, the embedded simulator) or, for blocks marked
 * `gateway`, a fresh `npm run supergraph`. Each must answer without errors (or, marked `expect CODE`,
 * with errors of that code only) and as the ```json block after it shows. The markers:
 * test/support/readme-blocks.ts; the README's own words on them: its "Development" section.
 */
const README = resolve(__dirname, '../../README.md');
const SUPERGRAPH = resolve(__dirname, '../../dist/scripts/supergraph.js');
const blocks = readmeBlocks(readFileSync(README, 'utf8'));
const runs = blocks.filter((b) => b.skip === undefined);
const name = (b: ReadmeBlock): string =>
  `README.md:${b.line} (${b.section}) ${/^\s*(query|mutation|subscription)\s+\w+/.exec(b.query)?.[0] ?? 'anonymous'}`;

/** At least this many blocks run, so that a README whose examples were all skipped cannot pass. */
const MIN_RUN = 5;

interface Answer {
  data?: unknown;
  errors?: { extensions?: { code?: string } }[];
}

describe('README.md, as written', () => {
  it('has examples the test can run: markers well formed, every skip with a reason, one named operation and its answer per block', () => {
    const report = blocks.map(
      (b) => `  ${name(b)}: ${b.skip === undefined ? `runs${b.target === 'gateway' ? ' on the gateway' : ''}` : `skipped (${b.skip})`}`,
    );
    console.log(`README GraphQL blocks, in order:\n${report.join('\n')}`);
    expect(blocks.flatMap((b) => b.problems.map((p) => `${name(b)}: ${p}`))).toEqual([]);
    expect(runs.length).toBeGreaterThanOrEqual(MIN_RUN);
    for (const block of runs) {
      const operations = parse(block.query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect([name(block), operations.length, operations.every((o) => o.name !== undefined)]).toEqual([name(block), 1, true]);
      expect([name(block), block.answer === undefined ? 'no answer shown' : 'answer shown']).toEqual([name(block), 'answer shown']);
    }
  });
});

describe('README.md, pasted in order into a fresh server', () => {
  let graphqlUrl: string | undefined;
  let gatewayUrl: string | undefined;
  let supergraph: ChildProcess | undefined;

  beforeAll(async () => {
    const server = startEntryProcess({});
    graphqlUrl = `${await server.ready}/graphql`;
    if (runs.some((b) => b.target === 'gateway')) {
      const started = await startSupergraph();
      supergraph = started.child;
      gatewayUrl = started.url;
    }
  }, 60_000);
  afterAll(() => {
    killEntryProcesses();
    if (supergraph?.exitCode === null) supergraph.kill('SIGKILL');
  });

  // Sequential, in README order: a later example may rely on what an earlier one did.
  it.each(runs.map((b) => [name(b), b] as const))('%s answers as the README shows', async (_name, block) => {
    const url = block.target === 'gateway' ? gatewayUrl : graphqlUrl;
    const res = await fetch(url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: block.query }),
    });
    const answer = (await res.json()) as Answer;
    const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
    if (block.expectCode === undefined) expect(codes).toEqual([]);
    else {
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.every((code) => code === block.expectCode)).toBe(true);
    }
    expect(comparable(answer)).toEqual(comparable(block.answer));
  });
});

/** `npm run supergraph`'s built script on free ports; resolves with the gateway URL once it says it is ready. */
function startSupergraph(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [SUPERGRAPH], {
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', GATEWAY_PORT: '0', COMMERCE_PORT: '0', COMPANIES_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done, fail) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /gateway ready at (http:\/\/\S+)[\s\S]*Ctrl-C/.exec(output);
      if (match?.[1]) done({ child, url: match[1] });
    });
    child.on('exit', (code) => fail(new Error(`npm run supergraph exited ${code}: ${output}`)));
  });
}
