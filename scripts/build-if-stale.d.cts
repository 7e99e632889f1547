/** Whether dist/ needs building before `npm start` (scripts/build-if-stale.cjs). */
export function buildState(root: string): 'missing' | 'stale' | 'fresh' | 'no-sources';
