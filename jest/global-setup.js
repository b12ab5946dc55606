const { createWorkerDatabases } = require('./worker-databases');

module.exports = createWorkerDatabases;
