// The peak resident memory of this process over one step (one entity's load), DuckDB's
// buffers included since it runs in-process. Linux keeps the high-water mark in
// /proc/self/status (VmHWM) and resets it when "5" is written to /proc/self/clear_refs;
// elsewhere the process's lifetime peak is the best available figure.
import { readFileSync, writeFileSync } from 'node:fs';

export function resetPeakMemory(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: peakMemoryBytes() then reports the lifetime peak.
  }
}

export function peakMemoryBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}
