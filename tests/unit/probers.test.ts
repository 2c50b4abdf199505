import { describe, expect, it } from 'vitest';
import { parseFpingOutput } from '../../src-main/core/monitor/probers/fping';
import { ipBytes } from '../../src-main/core/monitor/probers/ip-bytes';

describe('fping output', () => {
  it('reads answers, silences and hosts it never named', () => {
    const output = [
      '10.0.0.1   : 0.43',
      '10.0.0.2   : -',
      'cam-01.local : 12.5',
      'fping: nothing.invalid: Name or service not known',
      '',
    ].join('\n');
    const results = parseFpingOutput(output);
    expect([...results]).toEqual([
      ['10.0.0.1', 0.43],
      ['10.0.0.2', null],
      ['cam-01.local', 12.5],
    ]);
    expect(results.has('nothing.invalid')).toBe(false);
  });
});

describe('IP addresses as bytes (sockaddr and reply matching)', () => {
  it.each([
    ['10.1.2.3', '0a010203'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::10', '20010db8000000000000000000000010'],
    ['fe80::1%2', 'fe800000000000000000000000000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (address, hex) => expect(ipBytes(address).toString('hex')).toBe(hex));
  it('refuses what is not an address', () => expect(() => ipBytes('cam-01')).toThrow(/not an IP address/));
});
