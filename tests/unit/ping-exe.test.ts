import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pingConfig } from '../../src-main/core/monitor/probers/system-ping';

interface PingParser {
  eat(line: string): PingParser;
  getResult(): { alive: boolean; time: number | 'unknown' };
}
// The package's own Windows parser, as the fallback prober runs it on a workstation.
const factory = createRequire(import.meta.url)('ping/lib/parser/factory') as {
  createParser(host: string, platform: string, config: object): PingParser;
};

/**
 * ping.exe's output as Windows prints it (CRLF), read the way the package
 * reads a process's stdout. Without the packet size in the configuration the
 * parser takes `bytes=32` for the time and reports 32 ms for every reply.
 */
function parse(host: string, lines: readonly string[]) {
  const parser = factory.createParser(host, 'win32', pingConfig(2000));
  for (const line of lines.join('\r\n').split('\n')) parser.eat(line);
  const { alive, time } = parser.getResult();
  return { alive, time };
}

const ptBR = {
  reply: [
    '',
    'Disparando 10.0.0.1 com 32 bytes de dados:',
    'Resposta de 10.0.0.1: bytes=32 tempo=14ms TTL=117',
    '',
    'Estatísticas do Ping para 10.0.0.1:',
    '    Pacotes: Enviados = 1, Recebidos = 1, Perdidos = 0 (0% de',
    '             perda),',
    'Aproximar um número redondo de vezes em milissegundos:',
    '    Mínimo = 14ms, Máximo = 14ms, Média = 14ms',
  ],
  fast: [
    '',
    'Disparando 127.0.0.1 com 32 bytes de dados:',
    'Resposta de 127.0.0.1: bytes=32 tempo<1ms TTL=128',
    '',
    'Estatísticas do Ping para 127.0.0.1:',
    '    Pacotes: Enviados = 1, Recebidos = 1, Perdidos = 0 (0% de',
    '             perda),',
  ],
  timeout: [
    '',
    'Disparando 10.0.0.9 com 32 bytes de dados:',
    'Esgotado o tempo limite do pedido.',
    '',
    'Estatísticas do Ping para 10.0.0.9:',
    '    Pacotes: Enviados = 1, Recebidos = 0, Perdidos = 1 (100% de',
    '             perda),',
  ],
  // The gateway answers for the camera: one packet "received", and still no camera.
  unreachable: [
    '',
    'Disparando 10.0.0.254 com 32 bytes de dados:',
    'Resposta de 10.0.0.1: Host de destino inacessível.',
    '',
    'Estatísticas do Ping para 10.0.0.254:',
    '    Pacotes: Enviados = 1, Recebidos = 1, Perdidos = 0 (0% de',
    '             perda),',
  ],
};

const en = {
  reply: [
    '',
    'Pinging 10.0.0.1 with 32 bytes of data:',
    'Reply from 10.0.0.1: bytes=32 time=14ms TTL=117',
    '',
    'Ping statistics for 10.0.0.1:',
    '    Packets: Sent = 1, Received = 1, Lost = 0 (0% loss),',
    'Approximate round trip times in milli-seconds:',
    '    Minimum = 14ms, Maximum = 14ms, Average = 14ms',
  ],
  fast: [
    '',
    'Pinging 127.0.0.1 with 32 bytes of data:',
    'Reply from 127.0.0.1: bytes=32 time<1ms TTL=128',
    '',
    'Ping statistics for 127.0.0.1:',
    '    Packets: Sent = 1, Received = 1, Lost = 0 (0% loss),',
  ],
  timeout: [
    '',
    'Pinging 10.0.0.9 with 32 bytes of data:',
    'Request timed out.',
    '',
    'Ping statistics for 10.0.0.9:',
    '    Packets: Sent = 1, Received = 0, Lost = 1 (100% loss),',
  ],
  unreachable: [
    '',
    'Pinging 10.0.0.254 with 32 bytes of data:',
    'Reply from 10.0.0.1: Destination host unreachable.',
    '',
    'Ping statistics for 10.0.0.254:',
    '    Packets: Sent = 1, Received = 1, Lost = 0 (0% loss),',
  ],
};

/**
 * The last-resort prober reads ping.exe, whose words change with Windows'
 * language; the `ping` package has failed on non-English Windows before.
 * Recorded output in Portuguese and English, through the package's parser
 * with the configuration the prober passes.
 */
describe.each([
  ['Portuguese (pt-BR)', ptBR],
  ['English', en],
])('ping.exe in %s', (_language, output) => {
  it('reads a reply and its time', () => expect(parse('10.0.0.1', output.reply)).toEqual({ alive: true, time: 14 }));
  it('reads a sub-millisecond reply as alive', () =>
    expect(parse('127.0.0.1', output.fast)).toMatchObject({ alive: true, time: 1 }));
  it('reads a timeout as not alive', () => expect(parse('10.0.0.9', output.timeout).alive).toBe(false));
  it('reads "destination host unreachable" from the gateway as not alive', () =>
    expect(parse('10.0.0.254', output.unreachable).alive).toBe(false));
});
