import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** Linux's values; this module is only ever loaded on Linux. */
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const IPPROTO_ICMP = 1;
export const IPPROTO_ICMPV6 = 58;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;

export const ERRNO = {
  EPERM: 1,
  EAGAIN: 11,
  EACCES: 13,
  EINVAL: 22,
  ENETUNREACH: 101,
  EHOSTUNREACH: 113,
  EAFNOSUPPORT: 97,
  EPROTONOSUPPORT: 93,
  ENOBUFS: 105,
} as const;

/** The few libc calls an ICMP datagram socket needs, bound through koffi (no compiler, no native module of ours). */
export interface LibcSocket {
  socket(domain: number, type: number, protocol: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, length: number): number;
  sendto(fd: number, data: Buffer, length: number, flags: number, address: Buffer, addressLength: number): number;
  recvfrom(fd: number, data: Buffer, length: number, flags: number, address: Buffer, addressLength: Buffer): number;
  close(fd: number): number;
  errno(): number;
  /** Calls `onReadable` whenever the descriptor has data; the handle does not keep the process alive. */
  watch(fd: number, onReadable: () => void): { close(): void };
}

let loaded: LibcSocket | Error | undefined;

/** libc through koffi, loaded on first use: elsewhere than Linux, or without koffi's binary, an Error says why. */
export function libcSocket(): LibcSocket | Error {
  if (loaded) return loaded;
  if (process.platform !== 'linux')
    return (loaded = new Error(`ICMP datagram sockets are Linux's (${process.platform})`));
  try {
    // Required lazily, so a platform without koffi's binary still starts and falls back to another prober.
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    const libc = koffi.load('libc.so.6');
    const socket = libc.func('int socket(int, int, int)') as (d: number, t: number, p: number) => number;
    const setsockopt = libc.func('int setsockopt(int, int, int, const void *, uint32_t)') as LibcSocket['setsockopt'];
    const sendto = libc.func(
      'intptr_t sendto(int, const void *, size_t, int, const void *, uint32_t)',
    ) as LibcSocket['sendto'];
    const recvfrom = libc.func('intptr_t recvfrom(int, void *, size_t, int, void *, void *)') as LibcSocket['recvfrom'];
    const close = libc.func('int close(int)') as (fd: number) => number;
    loaded = {
      socket,
      setsockopt,
      sendto,
      recvfrom,
      close,
      errno: () => koffi.errno(),
      watch(fd, onReadable) {
        const handle = koffi.node.poll(fd, { readable: true }, (events) => {
          if (events.readable) onReadable();
        });
        handle.unref();
        return { close: () => handle.close() };
      },
    };
  } catch (error) {
    loaded = error instanceof Error ? error : new Error(String(error));
  }
  return loaded;
}
