import { defaultDataDir } from '../core/paths';
import { DEFAULT_AGENT_LISTEN } from '../core/agent-sync/listen-options';
import { DEFAULT_AGENT_STATUS_PORT } from '../core/agent/start';

export const DEFAULT_PORT = 7373;

export const USAGE = `Usage: vigia serve [options]
       vigia serve --agent --central <https://host:port> --area <CODE> --key-file <file>
                   --central-fingerprint <sha256> [--data-dir <folder>] [--port <n>]
       vigia export-bi --data-dir <folder> --out <folder>
       vigia migrate-store --from <vigia.sqlite> --to <mssql://user@server/database>

Runs Vigia without Electron: the user interface and the contract over HTTP +
WebSocket, on the embedded SQLite store or a shared SQL Server.

serve options:
  --data-dir <folder>  where the store lives (default: ${defaultDataDir()})
  --port <number>      TCP port (default: ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>     interface to listen on (default: 127.0.0.1); another
                       address exposes Vigia to the network, so it is opt-in
  --allow-host <name>  a host name browsers may use to reach this server
                       besides localhost and the --host address (repeatable);
                       pages under any other name are refused
  --store <url>        a SQL Server instead of the embedded store:
                       mssql://user@server[:port]/database?instance=SQLEXPRESS
                       &domain=CORP (Windows login)&encrypt=true
                       &trustServerCertificate=false
  --store-password-file <file>
                       the SQL Server password (else VIGIA_STORE_PASSWORD);
                       never on the command line
  --console            a control-room console: screens over the central's SQL
                       Server; its monitor stands by and takes over when the
                       central stops renewing its lease
  --agent-listen <host:port>
                       where a central listens for its agents (default
                       ${DEFAULT_AGENT_LISTEN}); HTTPS with a certificate generated on
                       first start in the data folder, whose SHA-256 agents pin
  --agent-cert <file> --agent-cert-key <file>
                       a certificate (PEM) of your own for that listener
  --agent-public-url <url>
                       the URL agents are told to use, when not https://<this
                       machine's name>:<port>
  --agent-plain-http   the listener without TLS (a lab, or TLS ended in front)
  --no-agent-listener  no agent listener
  --demo               seed three areas and 60 devices into an empty store
  --no-monitor         serve the UI and contract without sweeping devices
  --help               show this text

agent mode (--agent) pings one area's devices here and syncs with the central:
  --central <url>      the central's agent listener, https://host:7374
  --area <CODE>        the area this agent watches (its key must be that area's)
  --key-file <file>    the area key from the Areas screen; never on the command line
  --central-fingerprint <sha256>
                       the central certificate's SHA-256 from the Areas screen
  --plain-http         accept an http:// central (only if it runs --agent-plain-http)
  --data-dir <folder>  where the outbox lives (default: as above)
  --port <number>      the status page on 127.0.0.1 (default: ${DEFAULT_AGENT_STATUS_PORT})

export-bi writes the Power BI files (snapshots_diarios.csv and
snapshots_mensais.csv for every area and for all areas) of the store in
--data-dir (or --store) into --out, once: for a scheduled task. The folder is
created when missing.

migrate-store copies a trial installation's whole embedded store into a SQL
Server database (created beforehand, empty or partly copied): rows keep their
ids, it can be run again to resume, and the rows of every table are counted
on both sides at the end. The password comes as for --store. Camera
passwords are sealed again for SQL Server with the camera.key beside --from.
`;
