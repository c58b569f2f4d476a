// Alarms: CloudWatch semantics (evaluation is pure; storage and the evaluator loop build on it).
export * from './evaluation/index.js';
