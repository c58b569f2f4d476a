import { describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import type { Issue } from '../errors/index.js';
import { FLAG_OPERATORS } from './flag-conditions.js';
import { validateApp } from './validate-app.js';

// Loosely typed access, so that cases can write what a user might (typos, wrong types).
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Case {
  readonly name: string;
  readonly change: (def: Loose) => void;
  readonly issues: Issue[];
}

const cases: Case[] = [
  {
    name: 'a container runtime without an image',
    change: (d) => (d.services.gateway.runtime = 'container'),
    issues: [{ path: 'services.gateway.runtime', message: "runtime 'container' needs an image: add image: {} (a Dockerfile in the service's folder) or image: { dockerfile, context }" }],
  },
  {
    name: 'a lifecycle policy ECR would refuse',
    change: (d) => (d.services.gateway.image = { lifecyclePolicy: { rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 0 }, action: { type: 'expire' } }] } }),
    issues: [
      { path: 'services.gateway.image.lifecyclePolicy.rules[0].selection.countUnit', message: "Lifecycle policy validation failure: countUnit 'days' is required with countType 'sinceImagePushed'" },
      { path: 'services.gateway.image.lifecyclePolicy.rules[0].selection.countNumber', message: 'Lifecycle policy validation failure: numeric instance is lower than the required minimum or not an integer (minimum: 1, found: 0)' },
    ],
  },
  {
    name: 'an image platform that cannot be built',
    change: (d) => (d.services.gateway.image = { platforms: ['windows/amd64'] }),
    issues: [{ path: 'services.gateway.image.platforms[0]', message: 'expected one of linux/amd64, linux/arm64, linux/arm/v7, got "windows/amd64"' }],
  },
  {
    name: 'a typo in a service key',
    change: (d) => (d.services.gateway.helth = { path: '/healthz' }),
    issues: [{ path: 'services.gateway.helth', message: 'unknown key "helth" (did you mean "health"?)' }],
  },
  {
    name: 'an unknown top-level key without a close match',
    change: (d) => (d.database = {}),
    issues: [{ path: 'database', message: 'unknown key "database"' }],
  },
  {
    name: 'two unknown keys in one object',
    change: (d) => Object.assign(d.environments.staging, { ingresPort: 1, colour: 'blue' }),
    issues: [
      { path: 'environments.staging.ingresPort', message: 'unknown key "ingresPort" (did you mean "ingressPort"?)' },
      { path: 'environments.staging.colour', message: 'unknown key "colour"' },
    ],
  },
  {
    name: 'an app name that is not DNS-safe',
    change: (d) => (d.name = 'My Shop'),
    issues: [{ path: 'name', message: '"My Shop" is not a valid name: use lowercase letters, digits and hyphens, start with a letter, at most 63 characters' }],
  },
  {
    name: 'a service name with an underscore',
    change: (d) => (d.services.search_api = { path: 'search', start: 'node s.js' }),
    issues: [{ path: 'services.search_api', message: '"search_api" is not a valid name: use lowercase letters, digits and hyphens, start with a letter, at most 63 characters' }],
  },
  {
    name: 'a missing required field',
    change: (d) => delete d.services.catalog.start,
    issues: [{ path: 'services.catalog.start', message: 'is required' }],
  },
  {
    name: 'a port of the wrong type',
    change: (d) => (d.environments.staging.ingressPort = '8081'),
    issues: [{ path: 'environments.staging.ingressPort', message: 'expected a number, got "8081"' }],
  },
  {
    name: 'a port out of range',
    change: (d) => (d.environments.staging.ingressPort = 70000),
    issues: [{ path: 'environments.staging.ingressPort', message: 'must be at most 65535, got 70000' }],
  },
  {
    name: 'a duration without a unit the parser knows',
    change: (d) => (d.services.gateway.health.interval = '10 sec'),
    issues: [{ path: 'services.gateway.health.interval', message: 'expected a duration such as "30s" or "5m", got "10 sec"' }],
  },
  {
    name: 'a duration given as a number',
    change: (d) => (d.environments.production.strategy.interval = 30),
    issues: [{ path: 'environments.production.strategy.interval', message: 'expected a duration such as "30s" or "5m", got 30' }],
  },
  {
    name: 'a zero duration',
    change: (d) => (d.pipeline.trigger.pollInterval = '0s'),
    issues: [{ path: 'pipeline.trigger.pollInterval', message: 'expected a duration greater than zero, got "0s"' }],
  },
  {
    name: 'canary steps that go down',
    change: (d) => (d.environments.production.strategy.steps = [5, 50, 25, 100]),
    issues: [{ path: 'environments.production.strategy.steps', message: 'steps must increase and end at 100, got [5, 50, 25, 100]' }],
  },
  {
    name: 'canary steps that stop short of 100',
    change: (d) => (d.environments.production.strategy.steps = [10, 50]),
    issues: [{ path: 'environments.production.strategy.steps', message: 'steps must increase and end at 100, got [10, 50]' }],
  },
  {
    name: 'an unknown CodeDeploy configuration',
    change: (d) => (d.environments.staging.strategy = 'CodeDeployDefault.Fast'),
    issues: [
      {
        path: 'environments.staging.strategy',
        message:
          'expected a strategy such as "CodeDeployDefault.AllAtOnce" or canary({ ... }), got "CodeDeployDefault.Fast"; CodeDeploy names are "CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime", "CodeDeployDefault.OneAtATime", "CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSCanary10Percent15Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "CodeDeployDefault.ECSLinear10PercentEvery3Minutes"',
      },
    ],
  },
  {
    name: 'an unknown strategy type',
    change: (d) => (d.environments.staging.strategy = { type: 'shadow' }),
    issues: [{ path: 'environments.staging.strategy', message: 'expected a strategy type of "canary", "linear", "rolling", "blueGreen", got "shadow"' }],
  },
  {
    name: 'a rolling strategy with both batch forms',
    change: (d) => (d.environments.staging.strategy = { type: 'rolling', batchSize: 2, batchPercent: 50 }),
    issues: [{ path: 'environments.staging.strategy.batchPercent', message: 'give batchSize or batchPercent, not both' }],
  },
  {
    name: 'rollbackOn naming a missing alarm',
    change: (d) => (d.environments.production.rollbackOn = ['gateway-5xx', 'gateway-p99']),
    issues: [{ path: 'environments.production.rollbackOn[1]', message: 'no alarm named "gateway-p99"' }],
  },
  {
    name: 'rollbackOn naming an alarm with a typo',
    change: (d) => (d.environments.production.rollbackOn = ['gateway-5x']),
    issues: [{ path: 'environments.production.rollbackOn[0]', message: 'no alarm named "gateway-5x" (did you mean "gateway-5xx"?)' }],
  },
  {
    name: 'two environments on one port',
    change: (d) => (d.environments.production.ingressPort = 8081),
    issues: [{ path: 'environments.production.ingressPort', message: 'port 8081 is already used by environments.staging.ingressPort' }],
  },
  {
    name: 'a test port equal to another ingress port',
    change: (d) => (d.environments.production.testPort = 9081),
    issues: [{ path: 'environments.production.testPort', message: 'port 9081 is already used by environments.staging.testPort' }],
  },
  {
    name: 'blue/green test traffic without a test port',
    change: (d) => delete d.environments.staging.testPort,
    issues: [{ path: 'environments.staging.strategy.testTraffic', message: 'test traffic needs a testPort in the environment' }],
  },
  {
    name: 'a hook with both a command and a URL',
    change: (d) => (d.environments.production.hooks.BeforeAllowTraffic.url = 'http://127.0.0.1:9/check'),
    issues: [{ path: 'environments.production.hooks.BeforeAllowTraffic', message: 'give either command or url' }],
  },
  {
    name: 'a hook name that CodeDeploy does not have',
    change: (d) => (d.environments.production.hooks.AfterTraffic = { command: 'true' }),
    issues: [{ path: 'environments.production.hooks.AfterTraffic', message: 'unknown key "AfterTraffic" (did you mean "AfterAllowTraffic"?)' }],
  },
  {
    name: 'a deploy action to a missing environment',
    change: (d) => (d.pipeline.stages[1].actions[0].environment = 'stagin'),
    issues: [{ path: 'pipeline.stages[1].actions[0].environment', message: 'no environment named "stagin" (did you mean "staging"?)' }],
  },
  {
    name: 'a deploy action of a missing service',
    change: (d) => (d.pipeline.stages[2].actions[0].service = 'payments'),
    issues: [{ path: 'pipeline.stages[2].actions[0].service', message: 'no service named "payments"' }],
  },
  {
    name: 'a build option on a deploy action',
    change: (d) => (d.pipeline.stages[1].actions[0].buildspec = 'buildspec.yml'),
    issues: [{ path: 'pipeline.stages[1].actions[0].buildspec', message: 'unknown key "buildspec"' }],
  },
  {
    name: 'an unknown action type',
    change: (d) => d.pipeline.stages[0].actions.push({ type: 'test' }),
    issues: [{ path: 'pipeline.stages[0].actions[2]', message: 'expected an action type of "build", "image", "scan", "analyze", "plan", "approval", "deploy", "invoke", "loadtest", got "test"' }],
  },
  {
    name: 'an image action in an app where no service has an image',
    change: (d) => d.pipeline.stages[0].actions.push({ type: 'image' }),
    issues: [{ path: 'pipeline.stages[0].actions[2]', message: 'an image action needs a service with an `image` (a Dockerfile to build); no service of the app has one' }],
  },
  {
    name: 'an image action naming a missing service and one without an image',
    change: (d) => {
      d.services.gateway.image = {};
      d.pipeline.stages[0].actions.push({ type: 'image', services: ['gatewy', 'catalog'] });
    },
    issues: [
      { path: 'pipeline.stages[0].actions[2].services[0]', message: 'no service named "gatewy" (did you mean "gateway"?)' },
      { path: 'pipeline.stages[0].actions[2].services[1]', message: 'service "catalog" has no `image` to build; give it `image: {}` (its folder\'s Dockerfile) or name one of "gateway"' },
    ],
  },
  {
    name: 'two stages with one name',
    change: (d) => (d.pipeline.stages[2].name = 'Staging'),
    issues: [{ path: 'pipeline.stages[2].name', message: 'stage name "Staging" is already used by pipeline.stages[1]' }],
  },
  {
    name: 'two unnamed actions of one type in a stage',
    change: (d) => d.pipeline.stages[0].actions.push({ type: 'build', buildspec: 'other.yml' }),
    issues: [{ path: 'pipeline.stages[0].actions[2].name', message: 'action name "build" is already used by pipeline.stages[0].actions[0]' }],
  },
  {
    name: 'two build actions with one namespace',
    change: (d) => {
      d.pipeline.stages[0].actions[0].namespace = 'BuildVariables';
      d.pipeline.stages[1].actions.push({ type: 'build', name: 'again', namespace: 'BuildVariables' });
    },
    issues: [{ path: 'pipeline.stages[1].actions[1].namespace', message: 'namespace "BuildVariables" is already used by pipeline.stages[0].actions[0]' }],
  },
  {
    name: 'a reserved namespace',
    change: (d) => (d.pipeline.stages[0].actions[0].namespace = 'SourceVariables'),
    issues: [{ path: 'pipeline.stages[0].actions[0].namespace', message: 'namespace "SourceVariables" is reserved for the pipeline\'s own variables' }],
  },
  {
    name: 'a coverage minimum above 100',
    change: (d) => (d.pipeline.stages[0].actions[0].minLineCoverage = 120),
    issues: [{ path: 'pipeline.stages[0].actions[0].minLineCoverage', message: 'must be at most 100, got 120' }],
  },
  {
    name: 'a stage without actions',
    change: (d) => (d.pipeline.stages[0].actions = []),
    issues: [{ path: 'pipeline.stages[0].actions', message: 'must have at least 1 item' }],
  },
  {
    name: 'an unknown execution mode',
    change: (d) => (d.pipeline.executionMode = 'PARALLELL'),
    issues: [{ path: 'pipeline.executionMode', message: 'expected one of "SUPERSEDED", "QUEUED", "PARALLEL", got "PARALLELL"' }],
  },
  {
    name: 'an alarm on a missing service',
    change: (d) => (d.alarms['gateway-5xx'].service = 'gatway'),
    issues: [{ path: 'alarms.gateway-5xx.service', message: 'no service named "gatway" (did you mean "gateway"?)' }],
  },
  {
    name: 'more datapoints to alarm than evaluation periods',
    change: (d) => (d.alarms['gateway-5xx'].datapointsToAlarm = 4),
    issues: [{ path: 'alarms.gateway-5xx.datapointsToAlarm', message: 'datapointsToAlarm (4) must not exceed evaluationPeriods (3)' }],
  },
  {
    name: 'a runbook outside the repository',
    change: (d) => (d.alarms['gateway-5xx'].runbook = '../ops/runbook.md'),
    issues: [{ path: 'alarms.gateway-5xx.runbook', message: 'a runbook file must be inside the repository, got "../ops/runbook.md"' }],
  },
  {
    name: 'a runbook at an absolute path',
    change: (d) => (d.alarms['gateway-5xx'].runbook = '/etc/runbook.md'),
    issues: [{ path: 'alarms.gateway-5xx.runbook', message: 'a runbook file is a path relative to the config file, got the absolute "/etc/runbook.md"' }],
  },
  {
    name: 'a runbook URL that is not http(s)',
    change: (d) => (d.alarms['gateway-5xx'].runbook = 'ftp://wiki/runbook'),
    issues: [{ path: 'alarms.gateway-5xx.runbook', message: 'a runbook URL must be http or https, got "ftp:"' }],
  },
  {
    name: 'a runbook file that is not Markdown',
    change: (d) => (d.alarms['gateway-5xx'].runbook = 'runbooks/errors.txt'),
    issues: [{ path: 'alarms.gateway-5xx.runbook', message: 'a runbook file is Markdown (.md), got "runbooks/errors.txt"' }],
  },
  {
    name: 'an unknown statistic',
    change: (d) => (d.alarms['gateway-5xx'].stat = 'Avg'),
    issues: [{ path: 'alarms.gateway-5xx.stat', message: 'expected a statistic (Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99), got "Avg"' }],
  },
  {
    name: 'an unknown treatMissingData',
    change: (d) => (d.alarms['gateway-5xx'].treatMissingData = 'zero'),
    issues: [{ path: 'alarms.gateway-5xx.treatMissingData', message: 'expected one of "missing", "notBreaching", "breaching", "ignore", got "zero"' }],
  },
  {
    name: 'a composite rule naming a missing alarm',
    change: (d) => (d.alarms['gateway-bad'].rule = 'ALARM(gateway-5xx) OR ALARM("db-down")'),
    issues: [{ path: 'alarms.gateway-bad.rule', message: 'no alarm named "db-down"' }],
  },
  {
    name: 'a composite rule that does not parse',
    change: (d) => (d.alarms['gateway-bad'].rule = 'ALARM(gateway-5xx) AND'),
    issues: [{ path: 'alarms.gateway-bad.rule', message: "invalid rule: col 23: expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '(' but found end of rule" }],
  },
  {
    name: 'composite alarms in a cycle',
    change: (d) => Object.assign(d.alarms, { a: { rule: 'ALARM(b)' }, b: { rule: 'ALARM(gateway-bad) OR ALARM(a)' } }),
    issues: [{ path: 'alarms.a.rule', message: 'composite alarms refer to each other in a cycle: a → b → a' }],
  },
  {
    name: 'an env value naming a missing service',
    change: (d) => (d.services.gateway.env.CART_URL = 'http://${services.cart.url}/v1'),
    issues: [{ path: 'services.gateway.env.CART_URL', message: 'no service named "cart"' }],
  },
  {
    name: 'an env value with an unknown placeholder',
    change: (d) => (d.services.gateway.env.HOST = '${services.catalog.host}'),
    issues: [{ path: 'services.gateway.env.HOST', message: 'unknown placeholder "${services.catalog.host}": the only form is ${services.<name>.url}' }],
  },
  {
    name: 'scaling min above max',
    change: (d) => (d.services.gateway.scaling = { min: 5, max: 3 }),
    issues: [{ path: 'services.gateway.scaling.max', message: 'max (3) must be at least min (5)' }],
  },
  {
    name: 'a fractional task count',
    change: (d) => (d.services.gateway.scaling.min = 1.5),
    issues: [{ path: 'services.gateway.scaling.min', message: 'expected a whole number, got 1.5' }],
  },
  {
    name: 'a health timeout not shorter than the interval',
    change: (d) => (d.services.gateway.health.timeout = '2s'),
    issues: [{ path: 'services.gateway.health.timeout', message: 'timeout (2s) must be shorter than interval (2s)' }],
  },
  {
    name: 'services that depend on each other',
    change: (d) => (d.services.catalog.dependsOn = ['gateway']),
    issues: [{ path: 'services.gateway.dependsOn', message: 'services depend on each other in a cycle: gateway → catalog → gateway' }],
  },
  {
    name: 'two services on one path prefix',
    change: (d) => (d.services.catalog.ingress.pathPrefix = '/'),
    issues: [{ path: 'services.catalog.ingress.pathPrefix', message: 'path prefix "/" is already used by services.gateway.ingress.pathPrefix' }],
  },
  {
    name: 'a secret that is not an env var name',
    change: (d) => d.services.gateway.secrets.push('payment-key'),
    issues: [{ path: 'services.gateway.secrets[1]', message: '"payment-key" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit' }],
  },
  {
    name: 'an unknown platform',
    change: (d) => (d.services.gateway.platform = 'lambda'),
    issues: [{ path: 'services.gateway.platform', message: 'expected one of "ecs", "apprunner", got "lambda"' }],
  },
  {
    name: 'an environment platform AWS has no synthesizer for',
    change: (d) => (d.environments.staging.platform = 'gke'),
    issues: [{ path: 'environments.staging.platform', message: 'expected one of "ecs", "eks", got "gke"' }],
  },
  {
    name: 'a service platform in an app with an EKS environment',
    change: (d) => {
      d.environments.production.platform = 'eks';
      d.services.gateway.platform = 'apprunner';
    },
    issues: [
      {
        path: 'services.gateway.platform',
        message: '"apprunner" does not apply in environments.production, which runs every service on its EKS cluster (platform "eks"): leave the service\'s platform unset',
      },
    ],
  },
  {
    name: 'a CPU size Fargate does not offer',
    change: (d) => (d.services.gateway.cpu = 300),
    issues: [{ path: 'services.gateway.cpu', message: 'expected one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300' }],
  },
  {
    name: 'an unknown subscription type',
    change: (d) => d.notifications.oncall.push({ type: 'sms', to: '+31600000000' }),
    issues: [{ path: 'notifications.oncall[1]', message: 'expected a subscription type of "webhook", "slack", "email", "file", got "sms"' }],
  },
  {
    name: 'a webhook URL that is not http(s)',
    change: (d) => (d.notifications.oncall[0].url = 'ftp://example.com/hook'),
    issues: [{ path: 'notifications.oncall[0].url', message: 'expected an http(s) URL, got "ftp://example.com/hook"' }],
  },
  {
    name: 'a subscription filter with an unknown severity',
    change: (d) => (d.notifications.oncall[0].filter = { severities: ['critical', 'urgent'] }),
    issues: [{ path: 'notifications.oncall[0].filter.severities[1]', message: 'expected one of "critical", "warning", "info", got "urgent"' }],
  },
  {
    name: 'a subscription filter with an event pattern that is not a type or a prefix',
    change: (d) => (d.notifications.oncall[0].filter = { events: ['deployment.*.failed'] }),
    issues: [{ path: 'notifications.oncall[0].filter.events[0]', message: 'expected an event type (deployment.rolled_back) or a prefix ending in * (incident.*, *), got "deployment.*.failed"' }],
  },
  {
    name: 'a typo in a subscription filter key',
    change: (d) => (d.notifications.oncall[0].filter = { event: ['incident.*'] }),
    issues: [{ path: 'notifications.oncall[0].filter.event', message: 'unknown key "event" (did you mean "events"?)' }],
  },
  {
    name: 'requiresApproval that is not a boolean',
    change: (d) => (d.environments.production.requiresApproval = 'yes'),
    issues: [{ path: 'environments.production.requiresApproval', message: 'expected true or false, got "yes"' }],
  },
  {
    name: 'an alarm notifying a missing topic',
    change: (d) => (d.alarms['gateway-5xx'].notify = ['pager']),
    issues: [{ path: 'alarms.gateway-5xx.notify[0]', message: 'no notification topic named "pager"' }],
  },
  {
    name: 'a flag rule value of another type than the default',
    change: (d) => (d.flags.newCheckout.rules[0].value = 'yes'),
    issues: [{ path: 'flags.newCheckout.rules[0].value', message: 'expected a boolean like the default, got "yes"' }],
  },
  {
    name: 'a flag percentage above 100',
    change: (d) => (d.flags.newCheckout.rules[0].percentage = 110),
    issues: [{ path: 'flags.newCheckout.rules[0].percentage', message: 'must be at most 100, got 110' }],
  },
  {
    name: 'a flag default that is not a variant',
    change: (d) => (d.flags.theme = { default: 'dark', variants: { light: '#fff', blue: '#00f' } }),
    issues: [{ path: 'flags.theme.default', message: 'no variant named "dark"' }],
  },
  {
    name: 'an unknown match operator',
    change: (d) => (d.flags.newCheckout.rules[0].match = { country: { inn: ['de'] } }),
    issues: [{ path: 'flags.newCheckout.rules[0].match.country.inn', message: `unknown operator "inn": expected one of ${FLAG_OPERATORS.join(', ')}` }],
  },
  {
    name: 'an operator with an operand of the wrong type',
    change: (d) => (d.flags.newCheckout.rules[0].match = { age: { gte: '18' }, country: { in: 'de' } }),
    issues: [
      { path: 'flags.newCheckout.rules[0].match.age.gte', message: 'gte takes a finite number, got "18"' },
      { path: 'flags.newCheckout.rules[0].match.country.in', message: 'in takes a list of 1 to 1000 strings, numbers or booleans, got "de"' },
    ],
  },
  {
    name: 'a semver comparison with a version that is not SemVer',
    change: (d) => (d.flags.newCheckout.rules[0].match = { appVersion: { semverGte: '2.1' } }),
    issues: [{ path: 'flags.newCheckout.rules[0].match.appVersion.semverGte', message: 'semverGte takes a SemVer 2.0.0 version such as "2.1.0" or "1.0.0-rc.1", got "2.1"' }],
  },
  {
    name: 'a rule naming an undeclared segment',
    change: (d) => {
      d.segments = { beta: { match: { beta: true } } };
      d.flags.newCheckout.rules[0].segment = 'betta';
    },
    issues: [{ path: 'flags.newCheckout.rules[0].segment', message: 'no segment named "betta" (did you mean "beta"?)' }],
  },
  {
    name: 'a segment with a bad condition',
    change: (d) => (d.segments = { beta: { match: { plan: { startsWith: 3 } } } }),
    issues: [{ path: 'segments.beta.match.plan.startsWith', message: 'startsWith takes a non-empty string, got 3' }],
  },
  {
    name: 'a stickiness that is not an attribute name',
    change: (d) => (d.flags.newCheckout.rules[0].stickiness = 'account id'),
    issues: [{ path: 'flags.newCheckout.rules[0].stickiness', message: '"account id" is not an attribute name: a letter, _ or $, then letters, digits, _ . $ or - (at most 128)' }],
  },
  {
    name: 'a flag override for an undeclared environment, and one with a value of another type',
    change: (d) => (d.flags.newCheckout.environments = { prod: { rules: [] }, staging: { default: 'off' } }),
    issues: [
      { path: 'flags.newCheckout.environments.prod', message: 'no environment named "prod" (did you mean "production"?)' },
      { path: 'flags.newCheckout.environments.staging.default', message: 'expected a boolean like the default, got "off"' },
    ],
  },
  {
    name: 'a retention of no time',
    change: (d) => (d.telemetry = { retention: { logs: '0s' } }),
    issues: [{ path: 'telemetry.retention.logs', message: 'expected a duration greater than zero, got "0s"' }],
  },
  {
    name: 'a log group retention for a name no log group can have',
    change: (d) => (d.telemetry = { retention: { logGroups: { 'router logs': '1d' } } }),
    issues: [{ path: 'telemetry.retention.logGroups.router logs', message: '"router logs" is not a log group name: 1 to 512 letters, digits, _ - / . #' }],
  },
  {
    name: 'a telemetry opt-in that is not a boolean',
    change: (d) => (d.telemetry = { allowUnauthenticated: 'yes' }),
    issues: [{ path: 'telemetry.allowUnauthenticated', message: 'expected true or false, got "yes"' }],
  },
  {
    name: 'a typo in the telemetry opt-in',
    change: (d) => (d.telemetry = { allowUnauthenticatd: true }),
    issues: [{ path: 'telemetry.allowUnauthenticatd', message: 'unknown key "allowUnauthenticatd" (did you mean "allowUnauthenticated"?)' }],
  },
  {
    name: 'a CORS origin that is not a URL',
    change: (d) => (d.telemetry = { rum: { origins: ['http://127.0.0.1:8080', 'shop.example.com'] } }),
    issues: [{ path: 'telemetry.rum.origins[1]', message: 'expected an origin such as "http://127.0.0.1:8080" (scheme, host and port), got "shop.example.com": it is not a URL' }],
  },
  {
    name: 'a CORS origin with a path',
    change: (d) => (d.telemetry = { rum: { origins: ['https://shop.example.com/app'] } }),
    issues: [{ path: 'telemetry.rum.origins[0]', message: 'expected an origin (scheme, host and port, no path, query or user), got "https://shop.example.com/app": write "https://shop.example.com"' }],
  },
  {
    name: 'a CORS origin without a scheme',
    change: (d) => (d.telemetry = { rum: { origins: ['localhost:8080'] } }),
    issues: [{ path: 'telemetry.rum.origins[0]', message: 'expected an http(s) origin such as "http://127.0.0.1:8080", got "localhost:8080"' }],
  },
  {
    name: 'a CORS origin that is not http(s)',
    change: (d) => (d.telemetry = { rum: { origins: ['file:///tmp/page.html'] } }),
    issues: [{ path: 'telemetry.rum.origins[0]', message: 'expected an http(s) origin such as "http://127.0.0.1:8080", got "file:///tmp/page.html"' }],
  },
  {
    name: 'real-user monitoring without origins',
    change: (d) => (d.telemetry = { rum: { origins: [] } }),
    issues: [{ path: 'telemetry.rum.origins', message: 'list at least one origin of the pages that send browser telemetry, e.g. ["http://127.0.0.1:8080"]' }],
  },
  {
    name: 'a browser service name that is one of the services',
    change: (d) => (d.telemetry = { rum: { origins: ['http://127.0.0.1:8080'], serviceName: 'catalog' } }),
    issues: [{ path: 'telemetry.rum.serviceName', message: '"catalog" is the name of one of the app\'s services: the browser needs a name of its own (serviceName)' }],
  },
  {
    name: 'pages served by a service that does not exist',
    change: (d) => (d.telemetry = { rum: { origins: ['http://127.0.0.1:8080'], servedBy: ['gatewy'] } }),
    issues: [{ path: 'telemetry.rum.servedBy[0]', message: 'no service named "gatewy" (did you mean "gateway"?)' }],
  },
];

describe('validateApp rejects bad definitions', () => {
  it('accepts the base definition the cases start from', () => {
    // GIVEN the valid base definition WHEN it is validated THEN it passes
    expect(validateApp(validDefinition())).toMatchObject({ ok: true });
  });

  it.each(cases)('$name', ({ change, issues }) => {
    // GIVEN a valid definition with one thing broken
    const definition = validDefinition() as Loose;
    change(definition);
    // WHEN it is validated
    const result = validateApp(definition);
    // THEN exactly the expected problems are reported, with their paths
    expect(result).toEqual({ ok: false, issues });
  });

  it('has at least 25 distinct cases', () => {
    expect(new Set(cases.map((c) => c.issues[0]!.message)).size).toBeGreaterThanOrEqual(25);
  });

  it('reports a non-object input as one issue', () => {
    expect(validateApp('shop')).toEqual({ ok: false, issues: [{ path: '', message: 'expected an object, got "shop"' }] });
  });
});

/** A value nested `levels` objects deep: `{ a: { a: ... 1 } }`. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const reservedMessage = (key: string) => `"${key}" is reserved: __proto__, constructor, prototype are not allowed as keys or names anywhere in an app definition`;

const shapeCases: Case[] = [
  {
    name: 'a "__proto__" service from JSON.parse (own key, which the schema would drop)',
    change: (d) => (d.services = { ...JSON.parse('{"__proto__": {"path": "evil", "start": "node evil.js"}}'), ...d.services }),
    issues: [{ path: 'services.__proto__', message: reservedMessage('__proto__') }],
  },
  {
    name: 'a computed ["__proto__"] environment in an object literal',
    change: (d) => (d.environments = { ['__proto__']: { ingressPort: 9999 }, ...d.environments }),
    issues: [{ path: 'environments.__proto__', message: reservedMessage('__proto__') }],
  },
  {
    name: 'a "constructor" service',
    change: (d) => (d.services.constructor = { path: 'c', start: 'node c.js' }),
    issues: [{ path: 'services.constructor', message: reservedMessage('constructor') }],
  },
  {
    name: 'a "prototype" key deep inside a flag variant',
    change: (d) => (d.flags = { theme: { default: 'a', variants: { a: { colours: { prototype: 'x' } } } } }),
    issues: [{ path: 'flags.theme.variants.a.colours.prototype', message: reservedMessage('prototype') }],
  },
  {
    name: 'services whose prototype was set by a literal "__proto__:" key',
    change: (d) => (d.services = { __proto__: d.services }),
    issues: [{ path: 'services', message: 'has its prototype set (by a "__proto__" key in an object literal?): write its entries as keys of the object itself' }],
  },
  {
    name: 'an app named "constructor" (DNS-safe in form, but reserved)',
    change: (d) => (d.name = 'constructor'),
    issues: [{ path: 'name', message: reservedMessage('constructor') }],
  },
  {
    name: 'a flag variant nested 10 000 levels deep',
    change: (d) => (d.flags = { theme: { default: 'a', variants: { a: nested(10_000) } } }),
    issues: [{ path: `flags.theme.variants.a${'.a'.repeat(60)}`, message: 'nested deeper than 64 levels (the limit)' }],
  },
];

describe('validateApp refuses what the schema cannot see', () => {
  it.each(shapeCases)('$name', ({ change, issues }) => {
    // GIVEN a valid definition with a reserved key, a data prototype or absurd nesting
    const definition = validDefinition() as Loose;
    change(definition);
    // WHEN it is validated
    const result = validateApp(definition);
    // THEN it is invalid, with the path of the problem (not valid with the entry silently gone)
    expect(result).toEqual({ ok: false, issues });
  });
});
