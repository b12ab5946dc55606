import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');

/**
 * What a child process runs before the test's TypeScript: @swc/core compiles each .ts file as jest does, and the
 * `@app/*` names resolve as in tsconfig, so a crash test can run the real code in a process it can kill.
 */
const BOOTSTRAP = `
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const swc = require('@swc/core');
const root = ${JSON.stringify(ROOT)};
const alias = (name) => name === '@app/projections'
  ? path.join(root, 'projections/index.ts')
  : /^@app\\/[a-z-]+$/.test(name) ? path.join(root, 'libs', name.slice(5), 'src/index.ts') : undefined;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = alias(request);
  if (target) return target;
  try {
    return resolveFilename.call(this, request, ...rest);
  } catch (error) {
    if (request.startsWith('.')) return resolveFilename.call(this, request + '.ts', ...rest);
    throw error;
  }
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, swcrc: false, module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false } },
  });
  module._compile(code, filename);
};
require(process.argv[1]);
`;

/** How a child process ended. */
export type ChildExit = Readonly<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;

/** Runs a TypeScript file in a child process with `env` added, and answers how it ended. */
export const runTypeScriptChild = (file: string, env: Readonly<Record<string, string>>): Promise<ChildExit> =>
  new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, ['-e', BOOTSTRAP, file], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolveExit({ code, signal, stderr }));
  });
