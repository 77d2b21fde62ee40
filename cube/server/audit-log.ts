// The audit log: who queried which view, when, and whether the API answered or refused.
// One JSON object per line in a file beside the warehouse (config/settings.ts
// auditLogFile), appended in order; no query values are written, so the log itself holds
// no customer's personal data.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AuditEntry {
  at: string;
  user: string;
  roles: string[];
  endpoint: 'load' | 'sql' | 'meta';
  /** The views the query named (empty for /meta). */
  views: string[];
  /** 200 answered, 400 bad query, 403 refused by the access policies. */
  status: number;
  rows?: number;
}

export class AuditLog {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  // Synchronous so that an entry is on disk before the answer leaves the server.
  record(entry: Omit<AuditEntry, 'at'>): void {
    appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
  }
}
