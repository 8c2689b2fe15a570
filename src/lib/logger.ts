import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
    },
    // Written asynchronously: a synchronous write per line held every request up on
    // stdout. pino flushes what is buffered when the process exits.
    config.logLevel === 'silent' ? undefined : pino.destination({ sync: false }),
  );
}
