import { randomUUID } from 'node:crypto';
import type { PlatformEventPublished, RecordChange } from '../orgEvents.js';
import { encodeChangeEvent, type ChangeEventType } from './changeEventSchema.js';
import { encodePlatformEvent } from './platformEventSchema.js';
import type { EventLog } from './eventLog.js';
import { platformEventTopic, type TopicCatalog } from './topicCatalog.js';

/**
 * Turns what the org committed into Avro events on the log: one change event per record change,
 * header-only gap and overflow events on request, and platform events.
 */
export class ChangeFeed {
  #commitNumber = 9_000_000_000n;

  constructor(
    private readonly catalog: TopicCatalog,
    private readonly log: EventLog,
    private readonly now: () => number,
    private readonly defaultUserId: string,
  ) {}

  /** Changes to objects without change events enabled produce nothing, as in an org. */
  recordChange(change: RecordChange): boolean {
    const schema = this.catalog.changeSchemas.get(change.entityName);
    if (!schema) return false;
    const payload = encodeChangeEvent(
      schema,
      {
        entityName: change.entityName,
        recordIds: change.recordIds,
        changeType: change.changeType,
        changeOrigin: change.changeOrigin,
        transactionKey: change.transactionKey,
        sequenceNumber: change.sequenceNumber,
        commitTimestamp: change.commitTimestamp,
        commitNumber: change.commitNumber,
        commitUser: change.commitUser,
        changedFields: change.changeType === 'UPDATE' ? change.changedFields : [],
        nulledFields: change.nulledFields,
        diffFields: [],
      },
      change.fields,
    );
    this.log.append({ id: randomUUID(), schemaId: schema.schemaId, payload, headers: [] }, this.catalog.topicsOfChange(change.entityName));
    return true;
  }

  /** A header-only event: GAP_* with record ids, or GAP_OVERFLOW for a whole entity (no ids). */
  gap(entityName: string, changeType: Extract<ChangeEventType, `GAP_${string}`>, recordIds: string[] = []): void {
    const schema = this.catalog.changeSchemas.get(entityName);
    if (!schema) throw new RangeError(`no change events for ${entityName}; known: ${[...this.catalog.changeSchemas.keys()].join(', ')}`);
    if (changeType !== 'GAP_OVERFLOW' && recordIds.length === 0) throw new RangeError(`${changeType} needs recordIds`);
    this.#commitNumber += 1n;
    const payload = encodeChangeEvent(
      schema,
      {
        entityName,
        recordIds: changeType === 'GAP_OVERFLOW' ? [] : recordIds,
        changeType,
        changeOrigin: '',
        transactionKey: randomUUID().replace(/-/g, '').slice(0, 20),
        sequenceNumber: 1,
        commitTimestamp: this.now(),
        commitNumber: this.#commitNumber,
        commitUser: this.defaultUserId,
        changedFields: [],
        nulledFields: [],
        diffFields: [],
      },
      {},
    );
    this.log.append({ id: randomUUID(), schemaId: schema.schemaId, payload, headers: [] }, this.catalog.topicsOfChange(entityName));
  }

  platformEvent(published: PlatformEventPublished, createdById?: string): boolean {
    const schema = this.catalog.platformSchemas.get(published.eventName);
    if (!schema) return false;
    const payload = encodePlatformEvent(schema, {
      createdDate: published.publishedAt,
      createdById: String(published.fields.CreatedById ?? createdById ?? this.defaultUserId),
      eventUuid: published.eventUuid,
      fields: published.fields,
    });
    this.log.append({ id: published.eventUuid, schemaId: schema.schemaId, payload, headers: [] }, [platformEventTopic(published.eventName)]);
    return true;
  }
}
