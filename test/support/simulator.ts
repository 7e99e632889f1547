import { CodatSimulator, type SimulatorOptions } from '../../src/simulator';
import { useRunning } from './lifecycle';

/** The Codat key of every test: the simulator expects it, and the app under test sends it. */
export const TEST_API_KEY = 'test-key-0f3a9c1d2e';

/** A simulator on 127.0.0.1 port 0 that expects the test key, unless told otherwise. */
export function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<CodatSimulator> {
  return CodatSimulator.start({ apiKey: TEST_API_KEY, host: '127.0.0.1', port: 0, ...options });
}

/**
 * One simulator for the tests of the enclosing `describe` (or file), without the app: for the
 * simulator's own tests, and for tests that point a client or a process at it. Started in
 * `beforeAll`, closed in `afterAll`, its behaviours and request log cleared before each test.
 */
export function useSimulator(options: Partial<SimulatorOptions> = {}): CodatSimulator {
  return useRunning('useSimulator', {
    start: () => startSimulator(options),
    stop: (simulator) => simulator.close(),
    reset(simulator) {
      simulator.clearBehaviours();
      simulator.clearLog();
    },
  });
}
