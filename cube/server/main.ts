// `npm run serve`: serves the semantic API and the built dashboard on one origin.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { apiHost, apiPort, auditLogFile, cubeConfigFile, dashboardDistDir, secretFile, usersFile, warehousePath } from '../../config/settings.ts';
import { AuditLog } from './audit-log.ts';
import { Authenticator, loadApiSecret, readUsers } from './auth.ts';
import { createApp } from './app.ts';
import { projectModel } from './project-model.ts';
import { warmedContexts, warmOnSwap } from './cache-warmer.ts';
import { ResultCache } from './result-cache.ts';
import { WarehouseReader, type PoolOptions } from './warehouse-reader.ts';
import type { SemanticModel } from './semantic-model.ts';

export interface RunningServer {
  url: string;
  server: Server;
  /** The pooled reader the API queries through (tests hold its connections busy). */
  warehouse: WarehouseReader;
  /** The result cache, when on (tests read its hit and miss counts). */
  cache: ResultCache | undefined;
  /** The compiled model the API plans with (tests read how many plans it made). */
  model: SemanticModel;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  host?: string;
  warehouseFile?: string;
  dashboardDir?: string;
  auditLogFile?: string;
  /** Connections, queue length and wait limit of the warehouse pool (warehouse-reader.ts). */
  pool?: PoolOptions;
  /** Keep answers per warehouse version (result-cache.ts) and warm them after each swap; on by default. */
  cache?: boolean;
  /** Warm the cache with the pages' opening queries at start and after each swap; on by default. */
  warm?: boolean;
  log?: (line: string) => void;
}

function poolFromEnv(): PoolOptions {
  const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const options: PoolOptions = {};
  const connections = number('ASIAKKUUS_DB_CONNECTIONS');
  const maxQueue = number('ASIAKKUUS_DB_QUEUE');
  const waitTimeoutMs = number('ASIAKKUUS_DB_WAIT_MS');
  if (connections !== undefined) options.connections = connections;
  if (maxQueue !== undefined) options.maxQueue = maxQueue;
  if (waitTimeoutMs !== undefined) options.waitTimeoutMs = waitTimeoutMs;
  return options;
}

function listenError(error: Error, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is already in use; stop the other server or set PORT to a free port`);
  if (code === 'EACCES') return new Error(`no permission to listen on ${host}:${port}; set PORT to a port above 1024`);
  return error;
}

export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const warehouseFile = options.warehouseFile ?? warehousePath();
  const log = options.log ?? console.log;
  const warehouse = new WarehouseReader(warehouseFile, options.pool ?? poolFromEnv());
  const cacheOn = options.cache ?? process.env.ASIAKKUUS_RESULT_CACHE !== 'off';
  const { model, config } = await projectModel();
  if (!config.contextToGroups) throw new Error(`${cubeConfigFile} defines no contextToGroups; the access policies would match no user`);
  const users = readUsers(usersFile());
  const auth = new Authenticator(loadApiSecret(secretFile(warehouseFile)), users);
  const audit = new AuditLog(options.auditLogFile ?? auditLogFile(warehouseFile));
  const cache = cacheOn ? new ResultCache() : undefined;
  const app = createApp({ model, warehouse, auth, audit, cache, log, dashboardDir: options.dashboardDir ?? dashboardDistDir });
  // ASIAKKUUS_CACHE_WARMING=off: an empty cache after a swap fills only as users ask
  // (the bench measures that worst case, bench/serving.ts).
  const warmOn = options.warm ?? process.env.ASIAKKUUS_CACHE_WARMING !== 'off';
  const stopWarming = cache && warmOn ? warmOnSwap(model, warehouse, cache, log, warmedContexts(users)) : () => {};
  const host = options.host ?? apiHost();
  const port = options.port ?? apiPort();
  // Express 5 hands a listen failure to the callback instead of emitting it only.
  const server = await new Promise<Server>((resolvePromise, reject) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? reject(listenError(error, host, port)) : resolvePromise(listening)));
  }).catch(async (error: unknown) => {
    stopWarming();
    await warehouse.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    server,
    warehouse,
    cache,
    model,
    close: async () => {
      stopWarming();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      await warehouse.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await serve().catch((error: unknown) => {
    console.error(`serve failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  console.log(`Asiakkuus API and dashboard: ${running.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void running.close().then(() => process.exit(0)));
}
