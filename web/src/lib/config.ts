// Console configuration from the server (GET /api/v1/console/config): e.g. a map style or tile URL.
import { api } from '../api/client.ts';

export interface ConsoleConfig { mapStyleUrl: string | null; mapAttribution: string | null; version: string | null }

let pending: Promise<ConsoleConfig> | null = null;
export function consoleConfig(): Promise<ConsoleConfig> {
  pending ??= api<ConsoleConfig>('/api/v1/console/config', { quiet401: true })
    .catch(() => ({ mapStyleUrl: null, mapAttribution: null, version: null }));
  return pending;
}
