// A service whose start command fails at once.
console.error('fatal: missing configuration');
process.exit(3);
