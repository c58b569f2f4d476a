export { runScan, type RunScanOptions, type ScanResult } from './run-scan.js';
export { scanSecrets, secretScanner, type ScanSecretsOptions, type SecretScanner } from './scan-secrets.js';
export { scanImageArchive, LayerScanCache, type ImageScan, type ImageLayer, type LayerSecretFinding, type ScanImageOptions } from './image/scan-image-archive.js';
export { cycloneDx, purlOf, type CycloneDxBom } from './image/cyclonedx.js';
export type { ImagePackage } from './image/os-packages.js';
export { runNpmAudit, type NpmAuditOptions, type AuditResult, type AuditVulnerability } from './npm-audit.js';
export { DEFAULT_SECRET_RULES, shannonEntropyBits } from './rules.js';
export { SEVERITIES, atLeast, type Severity, type SecretRule, type SecretFinding } from './model.js';
