import { buildChangeEventSchema, changeEventName, type ChangeEventSchema, type SObjectDescribeLike } from './changeEventSchema.js';
import { buildPlatformEventSchema, type PlatformEventSchema } from './platformEventSchema.js';

export const ALL_CHANGE_EVENTS_TOPIC = '/data/ChangeEvents';
export const DEFAULT_CHANGE_EVENT_ENTITIES = ['Account', 'Contact', 'Product2', 'Order', 'OrderItem'];
export const DEFAULT_PLATFORM_EVENTS = ['Sync_Replay_Request__e'];

export function changeEventTopic(entityName: string): string {
  return `/data/${changeEventName(entityName)}`;
}

export function platformEventTopic(eventName: string): string {
  return `/event/${eventName}`;
}

export interface TopicEntry {
  topicName: string;
  schemaId: string;
  canPublish: boolean;
  canSubscribe: boolean;
  platformEvent?: PlatformEventSchema;
}

export type DescribeSource = (name: string) => unknown;

function asDescribe(value: unknown): SObjectDescribeLike | null {
  if (!value || typeof value !== 'object') return null;
  const candidate = value as Partial<SObjectDescribeLike>;
  return typeof candidate.name === 'string' && Array.isArray(candidate.fields) ? (candidate as SObjectDescribeLike) : null;
}

async function tryDescribe(describe: DescribeSource, name: string): Promise<SObjectDescribeLike | null> {
  try {
    return asDescribe(await describe(name));
  } catch {
    return null;
  }
}

/** Topics, their schemas and schema ids, built from the org's describe at start-up. */
export class TopicCatalog {
  readonly topics = new Map<string, TopicEntry>();
  readonly changeSchemas = new Map<string, ChangeEventSchema>();
  readonly platformSchemas = new Map<string, PlatformEventSchema>();
  readonly schemaJsonById = new Map<string, string>();

  static async load(describe: DescribeSource, entities: readonly string[], platformEvents: readonly string[]): Promise<TopicCatalog> {
    const catalog = new TopicCatalog();
    for (const entity of entities) {
      const describeResult = await tryDescribe(describe, entity);
      if (!describeResult) throw new Error(`simulated Pub/Sub: the org has no describe for ${entity}; remove it from pubsub entities or add it to the org`);
      const schema = buildChangeEventSchema(describeResult);
      catalog.changeSchemas.set(entity, schema);
      catalog.schemaJsonById.set(schema.schemaId, schema.schemaJson);
      catalog.topics.set(changeEventTopic(entity), { topicName: changeEventTopic(entity), schemaId: schema.schemaId, canPublish: false, canSubscribe: true });
    }
    catalog.topics.set(ALL_CHANGE_EVENTS_TOPIC, { topicName: ALL_CHANGE_EVENTS_TOPIC, schemaId: '', canPublish: false, canSubscribe: true });
    for (const eventName of platformEvents) {
      const schema = buildPlatformEventSchema(eventName, await tryDescribe(describe, eventName));
      catalog.platformSchemas.set(eventName, schema);
      catalog.schemaJsonById.set(schema.schemaId, schema.schemaJson);
      catalog.topics.set(platformEventTopic(eventName), {
        topicName: platformEventTopic(eventName),
        schemaId: schema.schemaId,
        canPublish: true,
        canSubscribe: true,
        platformEvent: schema,
      });
    }
    return catalog;
  }

  topicsOfChange(entityName: string): string[] {
    return [changeEventTopic(entityName), ALL_CHANGE_EVENTS_TOPIC];
  }
}
