import { comparable, readmeBlocks } from '../support/readme-blocks';

const fence = (lang: string, body: string): string => ['```' + lang, body, '```'].join('\n');

describe('readmeBlocks', () => {
  it('finds every graphql block in order, with its section, markers and the answer shown after it', () => {
    const markdown = [
      '# Title',
      '## Try it',
      fence('sh', 'npm start'),
      fence('graphql', 'query A { a }'),
      'It answers:',
      fence('json', '{ "data": { "a": 1 } }'),
      '<!-- readme-test: expect NOT_FOUND; gateway -->',
      '',
      fence('graphql', 'query B { b }'),
      '## Logs',
      fence('json', '{ "data": "not its answer: another section" }'),
      '<!-- readme-test: skip (needs a token) -->',
      fence('graphql', 'query C { c }'),
      fence('json', '{ "level": "info" }'),
    ].join('\n');
    const blocks = readmeBlocks(markdown);
    expect(blocks.map((b) => [b.section, b.query, b.target, b.expectCode, b.skip, b.answer])).toEqual([
      ['Try it', 'query A { a }', 'server', undefined, undefined, { data: { a: 1 } }],
      ['Try it', 'query B { b }', 'gateway', 'NOT_FOUND', undefined, undefined],
      ['Logs', 'query C { c }', 'server', undefined, 'needs a token', undefined],
    ]);
    expect(blocks.map((b) => b.line)).toEqual([6, 15, 23]);
    expect(blocks.flatMap((b) => b.problems)).toEqual([]);
  });

  it('refuses a skip without a reason and a directive it does not know', () => {
    const markdown = [
      '<!-- readme-test: skip -->',
      fence('graphql', '{ a }'),
      '<!-- readme-test: maybe -->',
      fence('graphql', '{ b }'),
    ].join('\n');
    const [first, second] = readmeBlocks(markdown);
    expect(first?.skip).toBeUndefined();
    expect(first?.problems).toEqual(['skipped without a reason: write <!-- readme-test: skip (why) -->']);
    expect(second?.problems).toEqual(['unknown readme-test directive "maybe"']);
  });

  it('only reads markers directly above the fence', () => {
    const markdown = ['<!-- readme-test: skip (far away) -->', 'Some prose.', fence('graphql', '{ a }')].join('\n');
    expect(readmeBlocks(markdown)[0]?.skip).toBeUndefined();
  });
});

describe('comparable', () => {
  it('lets ids and instants differ, nothing else', () => {
    const shown = {
      id: '96358721-99f5-43b4-8cd0-0483348f4a00',
      at: '2026-12-01T21:37:51.485Z',
      c: 'e7d9bb6f2c8c7d2695123b430294dec6',
      n: 1,
    };
    const given = {
      id: '11111111-2222-4333-8444-555555555555',
      at: '2027-01-01T00:00:00.000Z',
      c: '0123456789abcdef0123456789abcdef',
      n: 1,
    };
    expect(comparable(given)).toEqual(comparable(shown));
    expect(comparable({ ...given, n: 2 })).not.toEqual(comparable(shown));
    expect(comparable('syncTo (2025-06-01T00:00:00Z) must be later')).toBe('syncTo (<instant>) must be later');
  });
});
