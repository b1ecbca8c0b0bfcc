import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { I18nProvider } from './i18n';
import { captureInstallPrompt } from './pwa/install';
import { startServiceWorker } from './pwa/serviceWorker';
import './styles.css';
import './ui/layout.css';

captureInstallPrompt();
startServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
