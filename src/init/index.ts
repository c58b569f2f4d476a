export { initRepository, type InitOptions, type InitPlan, type InitResult } from './init.js';
export { detectServices, serviceName } from './detect.js';
export { renderBuildspec, renderConfig, ingressService, type RenderOptions } from './render.js';
export type { Detection, DetectedService, ExternalService, ServiceSource } from './model.js';
