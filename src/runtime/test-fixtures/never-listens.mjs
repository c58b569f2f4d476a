// A service that runs but never opens its port.
console.log('booting forever');
setInterval(() => {}, 1000);
process.on('SIGTERM', () => process.exit(0));
