/** The first-run wizard's words, merged into the catalogues under `setup`. */
export const setupPtBR = {
  title: 'Configurar o Vigia neste computador',
  intro:
    'Escolha o que esta instalação é; cada escolha é testada antes de ser salva. Um administrador pode mudá-la depois em Configurações › Instalação.',
  modes: {
    central: 'Central — este computador monitora os dispositivos',
    console: 'Console — estação de operador sobre o SQL Server da central',
    agent: 'Agente — local remoto que monitora a sua área e envia à central',
  },
  store: 'Banco de dados',
  stores: { sqlite: 'Embutido (SQLite): uma estação, teste ou instalação pequena', mssql: 'SQL Server' },
  url: 'Endereço do SQL Server',
  urlHint: 'mssql://usuário@servidor/banco — acrescente ?encrypt=false só se o servidor não tiver TLS',
  password: 'Senha do SQL Server',
  central: 'Endereço da central',
  centralHint: 'Como na tela Áreas › Agente da central, por exemplo https://central.sala.local:7374',
  area: 'Código da área',
  key: 'Chave da área',
  fingerprint: 'Impressão digital do certificado da central (SHA-256)',
  secretsNote:
    'A senha e a chave ficam no arquivo secrets.json da pasta de dados, que só o usuário deste serviço pode ler; nunca no arquivo de configuração, nos registros ou na auditoria.',
  secretsNoteDesktop:
    'A senha e a chave são cifradas pelo Windows para o seu usuário (DPAPI) antes de irem ao disco; nunca ficam no arquivo de configuração, nos registros ou na auditoria.',
  test: 'Testar',
  save: 'Salvar e iniciar',
  saveAndRestart: 'Testar, salvar e reiniciar neste modo',
  ok: 'Funcionou.',
  saved: 'Configuração salva. Iniciando…',
};

export const setupEn: typeof setupPtBR = {
  title: 'Set up Vigia on this computer',
  intro:
    'Choose what this installation is; each choice is tested before it is saved. An administrator may change it later in Settings › Installation.',
  modes: {
    central: 'Central — this computer monitors the devices',
    console: "Console — an operator's workstation over the central's SQL Server",
    agent: 'Agent — a field site that monitors its area and reports to the central',
  },
  store: 'Database',
  stores: { sqlite: 'Embedded (SQLite): one workstation, a trial or a small site', mssql: 'SQL Server' },
  url: 'SQL Server address',
  urlHint: 'mssql://user@server/database — add ?encrypt=false only if the server has no TLS',
  password: 'SQL Server password',
  central: "The central's address",
  centralHint: "As on the central's Areas › Agent panel, for example https://central.room.local:7374",
  area: 'Area code',
  key: "The area's key",
  fingerprint: "The central's certificate fingerprint (SHA-256)",
  secretsNote:
    "The password and the key are kept in the data folder's secrets.json, readable only by this service's user; never in the configuration file, the logs or the audit.",
  secretsNoteDesktop:
    'The password and the key are encrypted by Windows for your user (DPAPI) before they reach the disk; never in the configuration file, the logs or the audit.',
  test: 'Test',
  save: 'Save and start',
  saveAndRestart: 'Test, save and restart in this mode',
  ok: 'It works.',
  saved: 'Configuration saved. Starting…',
};

/** Settings › Installation, merged under `settings.installation`. */
export const installationPtBR = {
  title: 'Instalação',
  mode: 'Modo',
  where: 'Onde',
  change: 'Alterar modo…',
  changeHint:
    'A nova configuração é testada antes de ser salva; depois o Vigia reinicia nela e o monitoramento para por alguns segundos. A mudança fica na auditoria, sem senhas nem chaves.',
  fromCommandLine: 'O modo desta cópia vem da linha de comando que a inicia (serviço ou atalho): altere-o lá.',
};

export const installationEn: typeof installationPtBR = {
  title: 'Installation',
  mode: 'Mode',
  where: 'Where',
  change: 'Change mode…',
  changeHint:
    'The new configuration is tried before it is saved; Vigia then restarts in it and monitoring pauses for a few seconds. The change is audited, without passwords or keys.',
  fromCommandLine:
    "This copy's mode comes from the command line that starts it (a service or a shortcut): change it there.",
};
