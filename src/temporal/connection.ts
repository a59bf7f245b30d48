import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalSettings = Config['temporal'];

/** TLS and API key options shared by the client and the worker connection. */
function securityOptions(settings: TemporalSettings): {
  tls?: { clientCertPair: { crt: Buffer; key: Buffer } } | boolean;
  apiKey?: string;
} {
  if (settings.tls) {
    return {
      tls: { clientCertPair: { crt: readFileSync(settings.tls.certPath), key: readFileSync(settings.tls.keyPath) } },
    };
  }
  // Temporal Cloud API keys travel over TLS.
  if (settings.apiKey) return { tls: true, apiKey: settings.apiKey };
  return {};
}

export async function connectClient(settings: TemporalSettings, address: string): Promise<Client> {
  const connection = await Connection.connect({ address, ...securityOptions(settings) });
  return new Client({ connection, namespace: settings.namespace });
}

export async function connectWorker(settings: TemporalSettings, address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address, ...securityOptions(settings) });
}
