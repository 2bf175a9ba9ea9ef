import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles/app.css';
import { startOffline } from './lib/offline.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// the service worker: the shell offline, and the outbox of reports and visits (lib/offline.ts)
startOffline();
