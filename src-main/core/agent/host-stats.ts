import { statfs } from 'node:fs/promises';
import { cpus, freemem, totalmem } from 'node:os';
import type { AgentHostStats } from '../../../src-shared/domain/agents';

type CpuTimes = { idle: number; total: number };

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle;
  }
  return { idle, total };
}

/**
 * The agent host's figures for the heartbeat: CPU busy since the previous
 * reading, memory, and the free space of the disk the outbox is on (a full
 * disk is the one thing that can make an agent lose observations).
 */
export class HostStats {
  private previous = cpuTimes();

  constructor(private readonly dataDir: string) {}

  async read(): Promise<AgentHostStats> {
    const now = cpuTimes();
    const total = now.total - this.previous.total;
    const cpuPercent = total > 0 ? Math.round(((total - (now.idle - this.previous.idle)) / total) * 1000) / 10 : null;
    this.previous = now;
    let diskFreeBytes: number | null = null;
    try {
      const fs = await statfs(this.dataDir);
      diskFreeBytes = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      diskFreeBytes = null;
    }
    const memoryTotalBytes = totalmem();
    return {
      cpuPercent: cpuPercent === null ? null : Math.min(100, Math.max(0, cpuPercent)),
      memoryUsedBytes: memoryTotalBytes - freemem(),
      memoryTotalBytes,
      diskFreeBytes,
    };
  }
}
