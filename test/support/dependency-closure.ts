export { copyDependencyClosure } from '../../src/images/index.js';
