import { routePath, routePathOf } from '../../src/http/http-route';

// routePathOf routes a plain target without parsing its URL: it must give exactly what parsing gives.
const TARGETS = [
  '/',
  '/graphql',
  '/graphql/',
  '/graphql?query=%7B__typename%7D',
  '/graphql/?x=1',
  '/metrics',
  '/readyz?',
  '/a-b_c~d/e1',
  '//graphql',
  '/graphql//',
  '/./graphql',
  '/x/../graphql',
  '/graphql#fragment',
  '/gr%61phql',
  '/graph ql',
  '/graph"ql',
  '/Ünïcode',
  '\\graphql',
  '/graphql\\x',
  '*',
  '/.well-known/thing',
];

describe('routePathOf', () => {
  it.each(TARGETS)('routes %p as URL parsing would', (target) => {
    expect(routePathOf(target)).toBe(routePath(new URL(target, 'http://localhost').pathname));
  });

  it('keeps the root and drops one trailing slash', () => {
    expect(routePathOf('/')).toBe('/');
    expect(routePathOf('/graphql/?a=1')).toBe('/graphql');
    expect(routePathOf('/x/../graphql')).toBe('/graphql');
  });
});
