import { describe, expect, it } from 'vitest';
import { BuildspecError } from './buildspec-error.js';
import { parseBuildspec } from './parse-buildspec.js';

function errorOf(text: string): string {
  try {
    parseBuildspec(text, 'buildspec.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(BuildspecError);
    expect((err as BuildspecError).code).toBe('SLW_ERR_BUILDSPEC_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected the buildspec to be rejected');
}

const ok = `version: 0.2
phases:
  build:
    commands:
      - echo hi
`;

describe('parseBuildspec errors', () => {
  // GIVEN a malformed buildspec WHEN it is parsed THEN the message names file, line and reason
  const cases: { name: string; text: string; message: string }[] = [
    {
      name: 'misspelled phase',
      text: 'version: 0.2\n\nenv:\n  variables:\n    A: "1"\nphases:\n  biuld:\n    commands:\n      - make\n',
      message: 'buildspec.yml: line 7: phases.biuld: unknown phase (expected install, pre_build, build, post_build)',
    },
    {
      name: 'unknown top-level key',
      text: `${ok}artefacts:\n  files: ['**/*']\n`,
      message: 'buildspec.yml: line 6: artefacts: unknown top-level key (expected version, run-as, env, proxy, phases, artifacts, reports, cache)',
    },
    { name: 'version 0.1', text: ok.replace('0.2', '0.1'), message: 'buildspec.yml: line 1: version: version 0.1 is not supported (expected 0.2)' },
    { name: 'missing version', text: ok.replace('version: 0.2\n', ''), message: 'buildspec.yml: line 1: version: is required' },
    { name: 'YAML syntax error', text: 'version: 0.2\nphases:\n  build:\n    commands: [echo\n', message: 'buildspec.yml: line 5: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    { name: 'commands not a list', text: 'version: 0.2\nphases:\n  build:\n    commands: echo hi\n', message: 'buildspec.yml: line 4: phases.build.commands: expected a list, got "echo hi"' },
    { name: 'command not a string', text: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo\n      - {a: 1}\n', message: 'buildspec.yml: line 6: phases.build.commands[1]: expected a string, got a mapping' },
    { name: 'bad on-failure', text: 'version: 0.2\nphases:\n  build:\n    on-failure: IGNORE\n    commands: [make]\n', message: 'buildspec.yml: line 4: phases.build.on-failure: expected one of ABORT, CONTINUE, got "IGNORE"' },
    { name: 'runtime-versions outside install', text: 'version: 0.2\nphases:\n  build:\n    runtime-versions:\n      nodejs: 20\n    commands: [make]\n', message: 'buildspec.yml: line 4: phases.build.runtime-versions: runtime-versions is only allowed in the install phase' },
    { name: 'unknown env key', text: 'version: 0.2\nenv:\n  vars:\n    A: 1\nphases:\n  build:\n    commands: [make]\n', message: 'buildspec.yml: line 3: env.vars: unknown key (expected shell, variables, parameter-store, secrets-manager, exported-variables, git-credential-helper)' },
    { name: 'bad shell', text: 'version: 0.2\nenv:\n  shell: zsh\nphases:\n  build:\n    commands: [make]\n', message: 'buildspec.yml: line 3: env.shell: expected one of bash, sh, /bin/sh, /bin/bash, got "zsh"' },
    { name: 'unread report format', text: `${ok}reports:\n  unit:\n    files: [r.xml]\n    file-format: NUNITXML\n`, message: 'buildspec.yml: line 9: reports.unit.file-format: file format "NUNITXML" is not read by slipway (test reports: JUNITXML, CUCUMBERJSON; code coverage: COBERTURAXML, CLOVERXML, JACOCOXML, SIMPLECOV, LCOVINFO)' },
    { name: 'unknown report format', text: `${ok}reports:\n  unit:\n    files: [r.xml]\n    file-format: COBERTURA\n`, message: 'buildspec.yml: line 9: reports.unit.file-format: unknown file format "COBERTURA" (test reports: JUNITXML, CUCUMBERJSON; code coverage: COBERTURAXML, CLOVERXML, JACOCOXML, SIMPLECOV, LCOVINFO)' },
    { name: 'report type against its format', text: `${ok}reports:\n  cov:\n    files: [c.xml]\n    type: TEST\n    file-format: COBERTURAXML\n`, message: 'buildspec.yml: line 9: reports.cov.type: a TEST report cannot have file-format COBERTURAXML, which is a CODE_COVERAGE format' },
    { name: 'glob leaving the base directory', text: `${ok}artifacts:\n  files: ['../secrets/*']\n`, message: 'buildspec.yml: line 7: artifacts.files[0]: glob "../secrets/*" has a .. segment; it must stay inside the source directory' },
    { name: 'absolute report glob', text: `${ok}reports:\n  unit:\n    files: ['/etc/*.xml']\n`, message: 'buildspec.yml: line 8: reports.unit.files[0]: glob "/etc/*.xml" is an absolute path; paths are relative to the source directory' },
    { name: 'base-directory outside', text: `${ok}artifacts:\n  files: ['**/*']\n  base-directory: ../other\n`, message: 'buildspec.yml: line 8: artifacts.base-directory: base directory "../other" is outside the source directory (it must be relative, without ..)' },
    { name: 'negated extglob', text: `${ok}artifacts:\n  files: ['!(a).js']\n`, message: 'buildspec.yml: line 7: artifacts.files[0]: glob "!(a).js": a negated extglob !(…) is not supported; list what to leave out as a separate "!pattern"' },
    { name: 'artifacts without files', text: `${ok}artifacts:\n  name: web\n`, message: 'buildspec.yml: line 6: artifacts.files: is required (unless artifacts has secondary-artifacts)' },
    { name: 'secondary source base directory', text: `${ok}artifacts:\n  secondary-artifacts:\n    b:\n      base-directory: $CODEBUILD_SRC_DIR_source2\n      files: ['x']\n`, message: 'buildspec.yml: line 9: artifacts.secondary-artifacts.b.base-directory: secondary sources ($CODEBUILD_SRC_DIR_<source>) are not supported by slipway' },
    { name: 'install without commands or runtime-versions', text: 'version: 0.2\nphases:\n  install:\n    on-failure: ABORT\n', message: 'buildspec.yml: line 4: phases.install.commands: is required (unless the install phase has runtime-versions)' },
    { name: 'empty artifacts files', text: `${ok}artifacts:\n  files: []\n`, message: 'buildspec.yml: line 7: artifacts.files: must not be empty' },
    { name: 'absolute cache path', text: `${ok}cache:\n  paths:\n    - /root/.m2/**/*\n`, message: 'buildspec.yml: line 8: cache.paths[0]: slipway caches only paths inside the source directory (relative, without ..)' },
    { name: 'batch builds', text: `${ok}batch:\n  fast-fail: true\n`, message: 'buildspec.yml: line 6: batch: batch builds are not supported by slipway' },
    { name: 'bad variable name', text: 'version: 0.2\nenv:\n  exported-variables:\n    - 1BAD\nphases:\n  build:\n    commands: [make]\n', message: 'buildspec.yml: line 4: env.exported-variables[0]: is not a valid environment variable name' },
    { name: 'empty phase', text: 'version: 0.2\nphases:\n  build:\n', message: 'buildspec.yml: line 3: phases.build: expected a mapping, got an empty value' },
    { name: 'duplicate key', text: 'version: 0.2\nphases:\n  build:\n    commands: [a]\n  build:\n    commands: [b]\n', message: 'buildspec.yml: line 5: Map keys must be unique' },
    { name: 'empty file', text: '', message: 'buildspec.yml: line 1: the buildspec is empty' },
  ];
  it.each(cases)('$name', ({ text, message }) => {
    expect(errorOf(text)).toBe(message);
  });

  it('reports every problem, first by line', () => {
    // GIVEN two problems WHEN parsed THEN both are reported in line order
    const text = 'version: 0.2\nphases:\n  build:\n    on-failure: NOPE\n    commands: [make]\nextra: 1\n';
    expect(errorOf(text).split('\n')).toEqual([
      'buildspec.yml: line 4: phases.build.on-failure: expected one of ABORT, CONTINUE, got "NOPE"',
      'buildspec.yml: line 6: extra: unknown top-level key (expected version, run-as, env, proxy, phases, artifacts, reports, cache)',
    ]);
  });
});

describe('parseBuildspec compiled form', () => {
  it('takes one artifact path written as a scalar, as AWS’s ECS tutorial writes imagedefinitions.json', () => {
    const spec = parseBuildspec('version: 0.2\nphases:\n  build:\n    commands: [echo hi]\nartifacts:\n  files: imagedefinitions.json\n');
    expect(spec.artifacts?.files).toEqual(['imagedefinitions.json']);
  });

  it('compiles report types from formats, LCOV as LCOVINFO, and secondary artifacts', () => {
    // GIVEN coverage and test report groups and secondary artifacts as CodeBuild writes them
    const spec = parseBuildspec(`version: 0.2
phases:
  build:
    commands: [npm test]
artifacts:
  secondary-artifacts:
    web:
      base-directory: $CODEBUILD_SRC_DIR/dist
      files: ['**/*.{js,css}', '!**/*.test.js']
      discard-paths: yes
    docs:
      name: site
      files: [docs/**/*]
reports:
  jest:
    files: [junit.xml]
  cobertura:
    files: [coverage/cobertura-coverage.xml]
    file-format: COBERTURAXML
  lcov:
    type: CODE_COVERAGE
    files: [coverage/lcov.info]
    file-format: LCOV
  features:
    files: ['cucumber.json']
    file-format: CUCUMBERJSON
`);
    // THEN types are implied by the formats and each secondary artifact is kept with its identifier
    expect(spec.reports.map((r) => [r.name, r.type, r.fileFormat])).toEqual([
      ['jest', 'TEST', 'JUNITXML'],
      ['cobertura', 'CODE_COVERAGE', 'COBERTURAXML'],
      ['lcov', 'CODE_COVERAGE', 'LCOVINFO'],
      ['features', 'TEST', 'CUCUMBERJSON'],
    ]);
    expect(spec.artifacts).toBeUndefined();
    expect(spec.secondaryArtifacts).toEqual([
      { identifier: 'web', files: ['**/*.{js,css}', '!**/*.test.js'], name: undefined, baseDirectory: './dist', discardPaths: true, excludePaths: [] },
      { identifier: 'docs', files: ['docs/**/*'], name: 'site', baseDirectory: '.', discardPaths: false, excludePaths: [] },
    ]);
  });

  it('compiles every supported section with defaults', () => {
    // GIVEN a buildspec using each section WHEN parsed THEN the compiled form has values and defaults
    const spec = parseBuildspec(`version: 0.2
run-as: builder
env:
  shell: bash
  variables:
    PORT: 8080
    NAME: shop
  parameter-store:
    DB_URL: /shop/db-url
  secrets-manager:
    API_KEY: shop/api:key:AWSCURRENT
  exported-variables: [VERSION]
phases:
  install:
    runtime-versions:
      nodejs: 20
    commands: [npm ci]
  build:
    on-failure: CONTINUE
    commands: [npm test]
    finally: [echo done]
artifacts:
  files: ['**/*']
  base-directory: dist
  discard-paths: yes
  exclude-paths: ['**/*.map']
  name: web
reports:
  unit:
    files: ['junit.xml']
    base-directory: reports
cache:
  paths: ['node_modules/**/*']
`);
    expect(spec.shell).toBe('bash');
    expect(spec.variables).toEqual({ PORT: '8080', NAME: 'shop' });
    expect(spec.parameterStore).toEqual({ DB_URL: '/shop/db-url' });
    expect(spec.secretsManager).toEqual({ API_KEY: { secretId: 'shop/api', jsonKey: 'key', versionStage: 'AWSCURRENT', versionId: undefined } });
    expect(spec.exportedVariables).toEqual(['VERSION']);
    expect(spec.phases).toEqual([
      { name: 'install', commands: ['npm ci'], finally: [], onFailure: 'ABORT', runtimeVersions: { nodejs: '20' } },
      { name: 'build', commands: ['npm test'], finally: ['echo done'], onFailure: 'CONTINUE', runtimeVersions: {} },
    ]);
    expect(spec.artifacts).toEqual({ files: ['**/*'], name: 'web', baseDirectory: 'dist', discardPaths: true, excludePaths: ['**/*.map'] });
    expect(spec.reports).toEqual([{ name: 'unit', type: 'TEST', files: ['junit.xml'], baseDirectory: 'reports', discardPaths: false, fileFormat: 'JUNITXML' }]);
    expect(spec.secondaryArtifacts).toEqual([]);
    expect(spec.cachePaths).toEqual(['node_modules/**/*']);
    expect(spec.ignoredKeys).toEqual(['run-as']);
    expect(Object.isFrozen(spec.phases[0])).toBe(true);
  });
});
