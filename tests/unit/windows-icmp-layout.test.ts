import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  answered,
  ECHO_REPLY_SIZE,
  IP_DEST_HOST_UNREACHABLE,
  IP_REQ_TIMED_OUT,
  ipAddrOf,
  readEchoReply,
  REPLY_BUFFER_SIZE,
} from '../../src-main/core/monitor/probers/windows-icmp-layout';
import { WINDOWS_ICMP_WORKER } from '../../src-main/core/monitor/probers/windows-icmp-worker';

/**
 * ICMP_ECHO_REPLY as IcmpParseReplies leaves it in a 64-bit process, byte
 * by byte (ipexport.h; the layout .NET's Ping reads too): address, status,
 * round trip, data size, reserved, the data pointer at 16, the IP options
 * (TTL first) at 24. The Windows job of the CI runs the prober against the
 * real API; these pin the offsets everywhere.
 */
const reply = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

describe('IcmpSendEcho2 layouts (x64)', () => {
  it('reads an answer from the address asked, its round trip and TTL', () => {
    const buffer = reply(`
      0a 00 00 01  00 00 00 00  0e 00 00 00  20 00  00 00
      68 00 a4 c3 d2 01 00 00
      75 00 00 00  00 00 00 00  00 00 00 00 00 00 00 00`);
    expect(buffer.length).toBe(ECHO_REPLY_SIZE);
    const parsed = readEchoReply(buffer);
    expect(parsed).toEqual({ address: '10.0.0.1', status: 0, roundTripMs: 14, ttl: 117 });
    expect(answered(parsed, '10.0.0.1')).toBe(true);
  });

  it('reads a timeout and an unreachable host (answered by a gateway) as no answer', () => {
    const timedOut = readEchoReply(reply(`0a 00 00 09  02 2b 00 00  00 00 00 00  00 00 00 00  ${'00'.repeat(24)}`));
    expect(timedOut.status).toBe(IP_REQ_TIMED_OUT);
    expect(answered(timedOut, '10.0.0.9')).toBe(false);
    const unreachable = readEchoReply(reply(`0a 00 00 fe  fb 2a 00 00  00 00 00 00  00 00 00 00  ${'00'.repeat(24)}`));
    expect(unreachable).toMatchObject({ status: IP_DEST_HOST_UNREACHABLE, address: '10.0.0.254' });
    expect(answered({ ...unreachable, status: 0 }, '10.0.0.1')).toBe(false);
  });

  it('passes the destination as IPAddr: network-order bytes read as a little-endian ULONG', () => {
    expect(ipAddrOf('10.0.0.1')).toBe(0x0100000a);
    expect(ipAddrOf('127.0.0.1')).toBe(0x0100007f);
    expect(ipAddrOf('192.168.10.254')).toBe(0xfe0aa8c0);
    expect(() => ipAddrOf('10.0.0')).toThrow(/not an IPv4/);
  });

  it('gives the reply buffer the room the documentation asks for, and refuses a short one', () => {
    expect(REPLY_BUFFER_SIZE).toBe(40 + 32 + 8 + 16);
    expect(() => readEchoReply(Buffer.alloc(20))).toThrow(/40 bytes/);
  });

  it('ships a worker script that at least compiles (it only runs on Windows)', () => {
    expect(() => new Script(WINDOWS_ICMP_WORKER)).not.toThrow();
  });
});
