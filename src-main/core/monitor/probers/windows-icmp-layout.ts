/**
 * The memory layouts IcmpSendEcho2 (iphlpapi.dll) reads and writes, decoded
 * by hand from bytes so that unit tests can check them on any machine
 * against buffers recorded on Windows. x64 only: Vigia's installer is 64-bit.
 */

/** IP_STATUS values that matter here (ipexport.h). */
export const IP_SUCCESS = 0;
export const IP_REQ_TIMED_OUT = 11010;
export const IP_DEST_HOST_UNREACHABLE = 11003;
export const ERROR_IO_PENDING = 997;

/**
 * ICMP_ECHO_REPLY on x64: Address (IPAddr, 4), Status (ULONG, 4),
 * RoundTripTime (ULONG, 4), DataSize (USHORT, 2), Reserved (USHORT, 2),
 * Data (PVOID, 8, at 16), Options (IP_OPTION_INFORMATION: Ttl, Tos, Flags,
 * OptionsSize, 4 bytes of padding, OptionsData PVOID) at 24: 40 bytes.
 */
export const ECHO_REPLY_SIZE = 40;
/** IO_STATUS_BLOCK on x64 (a pointer-sized union and a ULONG_PTR). */
export const IO_STATUS_BLOCK_SIZE = 16;
export const REQUEST_DATA_SIZE = 32;
/** What the documentation asks for: a reply, the echoed data, 8 bytes of ICMP error, and the IO_STATUS_BLOCK. */
export const REPLY_BUFFER_SIZE = ECHO_REPLY_SIZE + REQUEST_DATA_SIZE + 8 + IO_STATUS_BLOCK_SIZE;

export interface EchoReply {
  /** The address that answered, dotted. */
  readonly address: string;
  readonly status: number;
  readonly roundTripMs: number;
  readonly ttl: number;
}

/** The first ICMP_ECHO_REPLY of a reply buffer, after IcmpParseReplies has fixed it up. */
export function readEchoReply(buffer: Uint8Array): EchoReply {
  if (buffer.length < ECHO_REPLY_SIZE)
    throw new Error(`an echo reply needs ${ECHO_REPLY_SIZE} bytes, got ${buffer.length}`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    // IPAddr holds the address in network order in memory: its bytes read left to right.
    address: Array.from(buffer.subarray(0, 4)).join('.'),
    status: view.getUint32(4, true),
    roundTripMs: view.getUint32(8, true),
    ttl: buffer[24]!,
  };
}

/** An IPv4 address as the IPAddr the API takes by value: its bytes in network order, read as a little-endian ULONG. */
export function ipAddrOf(address: string): number {
  const bytes = address.split('.').map(Number);
  if (bytes.length !== 4 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
}

/** A reply means the device answered only with IP_SUCCESS from the address that was asked. */
export function answered(reply: EchoReply, address: string): boolean {
  return reply.status === IP_SUCCESS && reply.address === address;
}
