const { useWorkerDatabase } = require('./worker-databases');

useWorkerDatabase();
