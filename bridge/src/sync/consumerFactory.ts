import { PubSubConsumer } from '../clients/salesforce/pubsub/index.js';
import type { PubSubAuth, SoqlSource } from '../clients/salesforce/pubsub/types.js';
import type { Logger } from '../logger.js';
import { CDC_TOPICS } from './changeIntake.js';
import type { EventConsumer, EventConsumerFactory } from './ports.js';

export interface PubSubSettings {
  /** host:port of the Pub/Sub API */
  endpoint: string;
  /** PEM to trust (the sandbox's self-made certificate); undefined = system roots; false = plaintext */
  tls?: { caCertificatePem?: string } | false;
  maxInFlight?: number;
  startFrom?: 'LATEST' | 'EARLIEST';
}

/** what gap re-reads, overflow resyncs and catch-up read per object */
const RESYNC_FIELDS: Record<string, string[]> = {
  Account: ['Name', 'Phone', 'QAD_Id__c'],
  Order: ['Status', 'QAD_Sales_Order_Number__c'],
};

/** the connection's consumer: E's PubSubConsumer over the three topics the engine listens to */
export function pubSubConsumerFactory(settings: PubSubSettings, salesforce: PubSubAuth & SoqlSource, logger: Logger, extraResyncFields: string[] = []): EventConsumerFactory {
  return (handler, checkpoints): EventConsumer => {
    const consumer = new PubSubConsumer(
      {
        endpoint: settings.endpoint,
        ...(settings.tls !== undefined ? { tls: settings.tls } : {}),
        topics: [CDC_TOPICS.account, CDC_TOPICS.order, CDC_TOPICS.replay],
        maxInFlight: settings.maxInFlight ?? 100,
        resyncFields: { ...RESYNC_FIELDS, Account: [...new Set([...(RESYNC_FIELDS.Account ?? []), ...extraResyncFields])] },
        startFrom: settings.startFrom ?? 'LATEST',
      },
      {
        auth: salesforce,
        soql: salesforce,
        logger,
        handler: {
          onChanges: (changes) => handler.onChanges(changes),
          onRecords: (batch) => handler.onRecords(batch),
          onPlatformEvents: (events) => handler.onPlatformEvents(events),
        },
        checkpoints: {
          load: (topic) => checkpoints.load(topic),
          save: (topic, checkpoint) => checkpoints.save(topic, checkpoint),
        },
      },
    );
    return {
      start: () => consumer.start(),
      stop: () => consumer.stop(),
      live: () => consumer.stats().every((topic) => topic.state === 'live'),
      ready: () => consumer.ready(),
      stats: () => consumer.stats(),
    };
  };
}
