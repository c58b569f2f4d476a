export { runScan, type RunScanOptions, type ScanResult } from './run-scan.js';
export { scanSecrets, type ScanSecretsOptions } from './scan-secrets.js';
export { runNpmAudit, type NpmAuditOptions, type AuditResult, type AuditVulnerability } from './npm-audit.js';
export { DEFAULT_SECRET_RULES, shannonEntropyBits } from './rules.js';
export { SEVERITIES, atLeast, type Severity, type SecretRule, type SecretFinding } from './model.js';
