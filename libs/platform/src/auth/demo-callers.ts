import type { Caller, Role } from './caller';

/**
 * One caller per role, for the tokens `npm start` prints in embedded mode (and for demo data): fixed ids, so
 * a token printed yesterday still names the same user.
 */
export const DEMO_CALLERS: Readonly<Record<Role, Caller>> = {
  admin: { userId: 'demo-admin', email: 'admin@demo.example', roles: ['admin'] },
  billing: { userId: 'demo-billing', email: 'billing@demo.example', roles: ['billing'] },
  support: { userId: 'demo-support', email: 'support@demo.example', roles: ['support'] },
  auditor: { userId: 'demo-auditor', email: 'auditor@demo.example', roles: ['auditor'] },
  analyst: { userId: 'demo-analyst', email: 'analyst@demo.example', roles: ['analyst'] },
  customer: { userId: 'demo-customer', email: 'cliente@demo.example', roles: ['customer'] },
};
