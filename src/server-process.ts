/**
 * Imported by src/index.ts right after apollo-env, before the app's modules load: settings for the
 * server process as a whole, made before it allocates anything that lasts. Tests and scripts that build
 * the app in their own process do not import it (but for scripts/bench-target.ts, whose subgraph stands for
 * the shipped one in `npm run bench`).
 */
import { turnOffPretenuring } from './heap-tuning';

turnOffPretenuring();
