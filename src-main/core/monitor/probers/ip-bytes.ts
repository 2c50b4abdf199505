import { isIPv4, isIPv6 } from 'node:net';

/** The 4 or 16 bytes of an IP address in network order, for sockaddr structures and for matching replies. */
export function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) throw new Error(`not an IP address: ${address}`);
  let text = bare;
  const words: number[] = [];
  // An IPv4 tail (::ffff:10.0.0.1) is two 16-bit words.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((word) => Number.parseInt(word, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  words.push(...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right);
  const bytes = Buffer.alloc(16);
  words.forEach((word, i) => bytes.writeUInt16BE(word, i * 2));
  return bytes;
}
