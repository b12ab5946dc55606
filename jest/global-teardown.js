const { dropWorkerDatabases } = require('./worker-databases');

module.exports = dropWorkerDatabases;
