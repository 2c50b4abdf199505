import { startMailCatcher, startWebhookCatcher } from './catchers';

/*
 * The catchers as a process of their own, for tests whose central runs in a
 * network namespace: started inside the same namespace, it prints one JSON
 * line with its addresses, then one line per mail or webhook call received.
 */
const mail = await startMailCatcher();
const hook = await startWebhookCatcher();
process.stdout.write(`${JSON.stringify({ smtpPort: mail.port, hookUrl: hook.url })}\n`);
let mails = 0;
let hooks = 0;
const timer = setInterval(() => {
  for (; mails < mail.received.length; mails++) {
    process.stdout.write(`${JSON.stringify({ mail: mail.received[mails] })}\n`);
  }
  for (; hooks < hook.received.length; hooks++) {
    process.stdout.write(`${JSON.stringify({ hook: hook.received[hooks] })}\n`);
  }
}, 50);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void Promise.all([mail.close(), hook.close()]).then(() => process.exit(0));
});
