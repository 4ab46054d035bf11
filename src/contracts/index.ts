export * from './access.js';
export * from './audit.js';
export * from './auth.js';
export * from './common.js';
export * from './org.js';
export * from './settings.js';
