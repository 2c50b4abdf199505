import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { ClientProvider } from './context';
import { setupI18n } from './i18n';
import { applyTheme, initialTheme } from './theme';
import './styles.css';
import './alarms.css';

applyTheme(initialTheme());
const connection = connect();
await setupI18n();

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <ClientProvider connection={connection}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
