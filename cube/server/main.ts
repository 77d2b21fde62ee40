// `npm run serve`: serves the semantic API and the built dashboard on one origin.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { apiHost, apiPort, cubeModelDir, dashboardDistDir, secretFile, usersFile, warehousePath } from '../../config/settings.ts';
import { Authenticator, loadApiSecret, readUsers } from './auth.ts';
import { createApp } from './app.ts';
import { SemanticModel } from './semantic-model.ts';
import { WarehouseReader } from './warehouse-reader.ts';

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  host?: string;
  warehouseFile?: string;
  dashboardDir?: string;
}

export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const warehouseFile = options.warehouseFile ?? warehousePath();
  const warehouse = new WarehouseReader(warehouseFile);
  const model = await SemanticModel.compile(cubeModelDir);
  const auth = new Authenticator(loadApiSecret(secretFile(warehouseFile)), readUsers(usersFile()));
  const app = createApp({ model, warehouse, auth, dashboardDir: options.dashboardDir ?? dashboardDistDir });
  const host = options.host ?? apiHost();
  const server = await new Promise<Server>((resolvePromise, reject) => {
    const listening = app.listen(options.port ?? apiPort(), host, () => resolvePromise(listening));
    listening.on('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    close: async () => {
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      await warehouse.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await serve();
  console.log(`Asiakkuus API and dashboard: ${running.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void running.close().then(() => process.exit(0)));
}
