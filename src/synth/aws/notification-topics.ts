import type { aws_kms as kms } from 'aws-cdk-lib';
import { aws_iam as iam, aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedSubscription } from '../../shared/index.js';
import { limitName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayNotificationTopics}. */
export interface SlipwayNotificationTopicsProps {
  /** The resolved app model; each `notifications.<topic>` becomes an SNS topic. */
  readonly app: ResolvedApp;
  /** The customer-managed key the topics are encrypted with (CloudWatch is allowed to use it). */
  readonly key: kms.IKey;
  /** Where subscriptions that do not map are reported. */
  readonly warnings: SynthWarnings;
}

const LOOPBACK = /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i;

/**
 * One SNS topic per model notification topic, KMS-encrypted and TLS-only, with its subscriptions:
 * `webhook` and `slack` as HTTPS (or HTTP) URL subscriptions, `email` as one email subscription per
 * address. `file` subscriptions and loopback URLs have no AWS meaning and are reported instead.
 */
export class SlipwayNotificationTopics extends Construct {
  /** Topics by model topic name. */
  readonly topics: Readonly<Record<string, sns.Topic>>;

  constructor(scope: Construct, id: string, props: SlipwayNotificationTopicsProps) {
    super(scope, id);
    const { app, key, warnings } = props;
    // CloudWatch alarms publish to the encrypted topics; the key policy must let them.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topics: Record<string, sns.Topic> = {};
    for (const [name, subs] of Object.entries(app.notifications)) {
      const topic = new sns.Topic(this, pascalCase(name), {
        topicName: limitName(`${app.name}-${name}`, 256),
        displayName: limitName(`${app.name} ${name}`, 100),
        masterKey: key,
        enforceSSL: true,
      });
      subs.forEach((sub, i) => addSubscription(topic, sub, `notifications.${name}[${i}]`, warnings));
      topics[name] = topic;
    }
    this.topics = topics;
  }
}

function addSubscription(topic: sns.Topic, sub: ResolvedSubscription, path: string, warnings: SynthWarnings): void {
  if (sub.filter !== undefined) warnings.add(`${path}.filter`, 'SNS delivers every message of the topic to this subscription: the filter applies locally only');
  switch (sub.type) {
    case 'webhook':
    case 'slack':
      if (LOOPBACK.test(sub.url)) {
        warnings.add(path, `${sub.url} is a loopback address, unreachable from SNS: no subscription`);
        return;
      }
      if (sub.type === 'webhook' && sub.secret !== undefined) warnings.add(path, 'SNS signs its own messages (SignatureVersion 2); the X-Hub-Signature-256 secret is not used');
      topic.addSubscription(new subscriptions.UrlSubscription(sub.url));
      return;
    case 'email':
      for (const to of sub.to) topic.addSubscription(new subscriptions.EmailSubscription(to));
      return;
    case 'file':
      warnings.add(path, `a file subscription (${sub.path}) has no AWS counterpart: no subscription`);
      return;
  }
}
