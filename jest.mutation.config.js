/** The domain's specification tests alone: what Stryker runs against each mutant of libs/domain. */
const base = require('./jest.config.js').projects[0];

/** @type {import('jest').Config} */
module.exports = { ...base, displayName: undefined, roots: ['<rootDir>/libs/domain'] };
