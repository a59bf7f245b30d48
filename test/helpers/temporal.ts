import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/temporal/devServer';
import { freePort } from './ports';

export interface TestTemporal {
  server: DevServer;
  client: Client;
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

/** A real Temporal dev server (in memory, headless) with the RoE search attributes, on a free port. */
export async function startTestTemporal(): Promise<TestTemporal> {
  const server = await startOnSomeFreePort();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    server,
    client,
    address: server.address,
    namespace: 'default',
    stop: async () => {
      await connection.close();
      await server.stop();
    },
  };
}

// A port found free can be taken by a parallel run before the server binds it: try another.
async function startOnSomeFreePort(attempts = 3): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ port: await freePort(), namespace: 'default' });
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}
