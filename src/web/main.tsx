import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/i18n.js';
import { App } from './app/App.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
