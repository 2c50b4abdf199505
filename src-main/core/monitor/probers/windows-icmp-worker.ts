/**
 * The thread that talks to iphlpapi.dll. IcmpSendEcho2 completes through an
 * APC, which Windows runs only on the thread that sent the request and only
 * while that thread waits alertably; libuv never does, so a thread of its own
 * sends and, every few milliseconds while requests are out, calls
 * SleepEx(0, TRUE) to let the completions run. Reply buffers live in memory
 * koffi allocated (the system writes them after the call returned) and are
 * freed only once their request completed.
 *
 * Plain CommonJS in a string, run with `eval: true`: the same code works in
 * the tests, the headless bundle and the desktop app without a build step or
 * a file path to find. koffi is required from the path the main thread
 * resolved.
 */
export const WINDOWS_ICMP_WORKER = String.raw`
(function main() {
const { parentPort, workerData } = require('node:worker_threads');
const koffi = require(workerData.koffiPath);
const { ECHO_REPLY_SIZE, REPLY_BUFFER_SIZE, REQUEST_DATA_SIZE, ERROR_IO_PENDING, IN_FLIGHT } = workerData;
const iphlpapi = koffi.load('iphlpapi.dll');
const kernel32 = koffi.load('kernel32.dll');
const Apc = koffi.proto('void __stdcall VigiaIcmpApc(intptr_t context, void *ioStatus, uint32_t reserved)');
const IcmpCreateFile = iphlpapi.func('void * __stdcall IcmpCreateFile()');
const IcmpCloseHandle = iphlpapi.func('bool __stdcall IcmpCloseHandle(void *handle)');
const IcmpSendEcho2 = iphlpapi.func(
  'uint32_t __stdcall IcmpSendEcho2(void *handle, void *event, VigiaIcmpApc *apc, intptr_t context, ' +
    'uint32_t destination, void *requestData, uint16_t requestSize, void *options, void *replyBuffer, ' +
    'uint32_t replySize, uint32_t timeout)',
);
const IcmpParseReplies = iphlpapi.func('uint32_t __stdcall IcmpParseReplies(void *replyBuffer, uint32_t replySize)');
const SleepEx = kernel32.func('uint32_t __stdcall SleepEx(uint32_t ms, bool alertable)');
const GetLastError = kernel32.func('uint32_t __stdcall GetLastError()');

const handle = IcmpCreateFile();
if (!handle) {
  parentPort.postMessage({ type: 'failed', message: 'IcmpCreateFile failed with error ' + GetLastError() });
  return;
}
const requestData = koffi.alloc('uint8_t', REQUEST_DATA_SIZE);
const inFlight = new Map();
const waiting = [];
let nextContext = 1;
let pump = null;
let closing = false;

function finish(context, reply, error) {
  const request = inFlight.get(context);
  if (!request) return;
  inFlight.delete(context);
  koffi.free(request.buffer);
  parentPort.postMessage({ type: 'result', id: request.id, reply, error });
  sendWaiting();
}

const apc = koffi.register((context) => {
  const request = inFlight.get(Number(context));
  if (!request) return;
  const count = IcmpParseReplies(request.buffer, REPLY_BUFFER_SIZE);
  const bytes = count > 0 ? Array.from(koffi.decode(request.buffer, 'uint8_t', ECHO_REPLY_SIZE)) : null;
  finish(Number(context), bytes, count > 0 ? null : 'no reply (error ' + GetLastError() + ')');
}, koffi.pointer(Apc));

function send(request) {
  const context = nextContext++;
  request.buffer = koffi.alloc('uint8_t', REPLY_BUFFER_SIZE);
  inFlight.set(context, request);
  const result = IcmpSendEcho2(handle, null, apc, context, request.destination, requestData, REQUEST_DATA_SIZE,
    null, request.buffer, REPLY_BUFFER_SIZE, request.timeoutMs);
  // Documented: ERROR_IO_PENDING. Seen: 0 with GetLastError() === ERROR_IO_PENDING. Both mean "an APC will come".
  if (result === ERROR_IO_PENDING || (result === 0 && GetLastError() === ERROR_IO_PENDING)) return;
  if (result === 0) finish(context, null, 'IcmpSendEcho2 failed with error ' + GetLastError());
}

function sendWaiting() {
  while (waiting.length > 0 && inFlight.size < IN_FLIGHT) send(waiting.shift());
  if (inFlight.size > 0 && !pump) pump = setInterval(drainCompletions, 2);
  if (inFlight.size === 0 && pump) {
    clearInterval(pump);
    pump = null;
    // Not from inside the completion that emptied the list: SleepEx is still on the stack.
    if (closing) setImmediate(shutDown);
  }
}

function drainCompletions() {
  // WAIT_IO_COMPLETION (0xC0): APCs ran; call again until none is left.
  for (let i = 0; i < 10000 && SleepEx(0, true) === 0xc0; i++);
}

function shutDown() {
  IcmpCloseHandle(handle);
  koffi.free(requestData);
  koffi.unregister(apc);
  process.exit(0);
}

parentPort.on('message', (message) => {
  if (message.type === 'probe') {
    waiting.push({ id: message.id, destination: message.destination, timeoutMs: message.timeoutMs });
    sendWaiting();
  } else if (message.type === 'close') {
    // Requests still out have reply buffers the system will write: wait for them, bounded by their timeouts.
    closing = true;
    waiting.length = 0;
    if (inFlight.size === 0) shutDown();
  }
});
parentPort.postMessage({ type: 'ready' });
})();
`;
