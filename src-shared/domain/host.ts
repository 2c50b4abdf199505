import { z } from 'zod';

const IpAddress = z.union([z.ipv4(), z.ipv6()]);
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isIpAddress(value: string): boolean {
  return IpAddress.safeParse(value).success;
}

/**
 * RFC 1123 host name. A name whose last label is all digits is refused: it is
 * never a real name and is almost always a mistyped address such as 999.1.1.1.
 */
export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = (value.endsWith('.') ? value.slice(0, -1) : value).split('.');
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return false;
  return labels.every((label) => HOST_LABEL.test(label));
}

/** IPv4, IPv6 (without zone id: meaningless to another workstation) or host name. */
export function isDeviceHost(value: string): boolean {
  return isIpAddress(value) || isHostname(value);
}
