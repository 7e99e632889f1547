/**
 * A configuration value the service cannot start with; the message names the variable. Its own module so
 * that the readers of configuration files (src/auth/api-keys.ts, src/auth/tenants.ts) can raise it
 * without importing config.ts, which imports them.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
