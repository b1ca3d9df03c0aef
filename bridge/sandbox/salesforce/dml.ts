import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { RecordError, SalesforceApiError } from './errors.js';
import type { IdFactory } from './ids.js';
import { cascadeChildren, checkDelete, checkInsert, checkUpdate, deriveFields, rollUpOrderTotal } from './objectRules.js';
import type { OrgEventEmitter, PlatformEventPublished, RecordChange } from './orgEvents.js';
import type { SchemaCatalog } from './schema/catalog.js';
import type { FieldDef, ObjectDef } from './schema/types.js';
import { Journal, type RecordStore, type Row } from './store.js';
import { coerceValue, outputValue, type StoredValue } from './values.js';

/**
 * The one write path of the simulated org. REST rows, collections, Bulk API 2.0, the seed loader and
 * the control surface all write through a Transaction, so validation, derived fields, SystemModstamp
 * and change events behave the same whichever door a write came through.
 */
export interface WriterDeps {
  catalog: SchemaCatalog;
  store: RecordStore;
  ids: IdFactory;
  clock: SandboxClock;
  events: OrgEventEmitter;
  userId: string;
}

type PendingChange = Omit<RecordChange, 'transactionKey' | 'sequenceNumber' | 'commitTimestamp' | 'commitNumber' | 'commitUser' | 'changeOrigin'>;
type Mutable = Record<string, StoredValue>;

export interface WriteOptions {
  /** values came from CSV text (Bulk API) */
  fromText?: boolean;
}

export class OrgWriter {
  private commitNumber = 1_000_000_000_000n;
  private readonly autoNumbers = new Map<string, number>();

  constructor(readonly deps: WriterDeps) {}

  begin(changeOrigin: string): Transaction {
    return new Transaction(this, changeOrigin);
  }

  /** `work` in its own transaction: committed when it returns, rolled back when it throws. */
  inTransaction<T>(changeOrigin: string, work: (tx: Transaction) => T): T {
    const tx = this.begin(changeOrigin);
    try {
      const result = work(tx);
      tx.commit();
      return result;
    } catch (error) {
      tx.rollback();
      throw error;
    }
  }

  nextAutoNumber(key: string): number {
    const n = (this.autoNumbers.get(key) ?? 0) + 1;
    this.autoNumbers.set(key, n);
    return n;
  }

  nextCommitNumber(): bigint {
    this.commitNumber += 1n;
    return this.commitNumber;
  }
}

function formatAutoNumber(format: string, n: number): string {
  return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}

export class Transaction {
  private readonly journal = new Journal();
  private readonly changes: PendingChange[] = [];
  private readonly published: PlatformEventPublished[] = [];
  private open = true;

  constructor(
    private readonly writer: OrgWriter,
    readonly changeOrigin: string,
  ) {
    if (writer.deps.store.journal) throw new Error('a transaction is already open on this org');
    writer.deps.store.journal = this.journal;
  }

  private get deps(): WriterDeps {
    return this.writer.deps;
  }

  /** Runs one record's work; on failure undoes only that record (allOrNone=false semantics). */
  savepoint<T>(work: () => T): T {
    const mark = this.journal.mark();
    const changeCount = this.changes.length;
    const publishCount = this.published.length;
    try {
      return work();
    } catch (error) {
      this.journal.rollbackTo(mark);
      this.changes.length = changeCount;
      this.published.length = publishCount;
      throw error;
    }
  }

  objectDef(objectName: string): ObjectDef {
    const def = this.deps.catalog.object(objectName);
    if (!def) throw new RecordError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
    return def;
  }

  insert(objectName: string, input: Record<string, unknown>, options: WriteOptions = {}): string {
    const def = this.objectDef(objectName);
    const values = this.readInput(def, input, 'create', options);
    if ('Id' in values) throw new RecordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
    if (def.isEvent) return this.publish(def, values);
    const now = this.deps.clock.now();
    const row: Mutable = {};
    for (const field of def.fields) {
      if (field.defaultValue !== undefined) row[field.name] = field.defaultValue as StoredValue;
      else row[field.name] = null;
    }
    Object.assign(row, values);
    const id = this.deps.ids.next(def.keyPrefix);
    Object.assign(row, {
      Id: id,
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: this.deps.userId,
      LastModifiedDate: now,
      LastModifiedById: this.deps.userId,
      SystemModstamp: now,
    });
    if (def.fields.some((f) => f.name === 'OwnerId') && row.OwnerId === null) row.OwnerId = this.deps.userId;
    for (const field of def.fields) {
      if (field.autoNumberFormat) row[field.name] = formatAutoNumber(field.autoNumberFormat, this.writer.nextAutoNumber(`${def.name}.${field.name}`));
    }
    this.checkRequired(def, row);
    this.checkReferences(def, row, Object.keys(values));
    this.checkUnique(def, row, Object.keys(values));
    checkInsert(def.name, row, this.deps.store);
    deriveFields(def.name, row, this.deps.store);
    this.deps.store.put(def.name, row);
    if (def.name === 'OrderItem') rollUpOrderTotal(row.OrderId as string, this.deps.store);
    const fields: Record<string, unknown> = {};
    for (const field of def.fields) {
      const value = row[field.name];
      if (value !== null && value !== undefined && field.type !== 'address') fields[field.name] = outputValue(field, value);
    }
    this.changes.push({ entityName: def.name, changeType: 'CREATE', recordIds: [id], fields, changedFields: [], nulledFields: [] });
    return id;
  }

  update(objectName: string, id: string, input: Record<string, unknown>, options: WriteOptions = {}): void {
    const def = this.objectDef(objectName);
    const before = this.existing(def, id);
    const values = this.readInput(def, input, 'update', options);
    delete values.Id;
    const changed = new Set<string>();
    for (const [name, value] of Object.entries(values)) if (before[name] !== value) changed.add(name);
    const row: Mutable = { ...before, ...values };
    const now = this.deps.clock.now();
    Object.assign(row, { LastModifiedDate: now, LastModifiedById: this.deps.userId, SystemModstamp: now });
    this.checkRequired(def, row);
    this.checkReferences(def, row, [...changed]);
    this.checkUnique(def, row, [...changed]);
    checkUpdate(def.name, before, row, changed, this.deps.store);
    deriveFields(def.name, row, this.deps.store);
    this.deps.store.put(def.name, row);
    if (def.name === 'OrderItem') rollUpOrderTotal(row.OrderId as string, this.deps.store);
    const fields: Record<string, unknown> = {};
    const nulledFields: string[] = [];
    for (const name of changed) {
      const field = this.deps.catalog.field(def.name, name) as FieldDef;
      fields[name] = outputValue(field, row[name]);
      if (row[name] === null) nulledFields.push(name);
    }
    for (const derived of ['Name', 'StatusCode', 'TotalPrice']) {
      const field = this.deps.catalog.field(def.name, derived);
      if (field?.calculated && before[derived] !== row[derived]) {
        changed.add(derived);
        fields[derived] = outputValue(field, row[derived]);
      }
    }
    fields.LastModifiedDate = outputValue(this.deps.catalog.field(def.name, 'LastModifiedDate') as FieldDef, now);
    this.changes.push({
      entityName: def.name,
      changeType: 'UPDATE',
      recordIds: [id],
      fields,
      changedFields: [...changed, 'LastModifiedDate'],
      nulledFields,
    });
  }

  /** Upsert by External ID (or Id): returns the record id and whether it was created. */
  upsert(objectName: string, keyField: FieldDef, keyValue: unknown, input: Record<string, unknown>, options: WriteOptions = {}): { id: string; created: boolean } {
    const def = this.objectDef(objectName);
    const key = coerceValue(keyField, keyValue, options.fromText);
    const body = { ...input };
    delete body.attributes;
    if (Object.keys(body).some((k) => k.toLowerCase() === 'id') && keyField.name !== 'Id') throw new RecordError('INVALID_FIELD', 'Id not allowed in an upsert by external ID', ['Id']);
    const bodyKey = Object.keys(body).find((k) => k.toLowerCase() === keyField.name.toLowerCase());
    if (bodyKey !== undefined) {
      if (coerceValue(keyField, body[bodyKey], options.fromText) !== key) {
        throw new RecordError('INVALID_FIELD', `${keyField.name}: the value in the record differs from the external ID value of the call`, [keyField.name]);
      }
      delete body[bodyKey];
    }
    if (key === null) throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${keyField.name}]`, [keyField.name]);
    const matches = keyField.name === 'Id' ? (this.deps.store.get(def.name, key as string) ? [key as string] : []) : this.deps.store.findByExternalId(def.name, keyField, key);
    if (matches.length > 1) throw new MultipleMatchError(def.name, keyField.name, matches);
    const [match] = matches;
    if (match !== undefined) {
      this.update(def.name, match, body, options);
      return { id: match, created: false };
    }
    if (keyField.name === 'Id') throw new RecordError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${String(key)}`);
    return { id: this.insert(def.name, { ...body, [keyField.name]: key }, options), created: true };
  }

  delete(objectName: string, id: string): void {
    const def = this.objectDef(objectName);
    const row = this.existing(def, id);
    checkDelete(def.name, row, this.deps.store);
    const children = cascadeChildren(def.name, row, this.deps.store);
    const now = this.deps.clock.now();
    for (const child of children) {
      this.deps.store.remove(child.objectName, child.id, now);
      this.changes.push({ entityName: child.objectName, changeType: 'DELETE', recordIds: [child.id], fields: {}, changedFields: [], nulledFields: [] });
    }
    this.deps.store.remove(def.name, id, now);
    if (def.name === 'OrderItem') rollUpOrderTotal(row.OrderId as string, this.deps.store);
    this.changes.push({ entityName: def.name, changeType: 'DELETE', recordIds: [id], fields: {}, changedFields: [], nulledFields: [] });
  }

  /** Makes the writes visible to the bus: one transactionKey, ordered sequence numbers. */
  commit(): void {
    this.close();
    const commitTimestamp = this.deps.clock.now();
    const commitNumber = this.writer.nextCommitNumber();
    const transactionKey = randomUUID();
    this.changes.forEach((change, index) => {
      this.deps.events.emit('change', {
        ...change,
        changeOrigin: this.changeOrigin,
        transactionKey,
        sequenceNumber: index + 1,
        commitTimestamp,
        commitNumber,
        commitUser: this.deps.userId,
      });
    });
    for (const event of this.published) this.deps.events.emit('platformEvent', event);
  }

  rollback(): void {
    this.journal.rollback();
    this.close();
  }

  private close(): void {
    if (!this.open) throw new Error('transaction already finished');
    this.open = false;
    this.deps.store.journal = null;
  }

  private existing(def: ObjectDef, id: string): Row {
    const row = this.deps.store.get(def.name, id);
    if (row) return row;
    if (this.deps.store.getDeleted(def.name, id)) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', []);
    throw new RecordError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, []);
  }

  private publish(def: ObjectDef, values: Mutable): string {
    const id = this.deps.ids.next(def.keyPrefix);
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) fields[name] = outputValue(this.deps.catalog.field(def.name, name) as FieldDef, value);
    this.published.push({ eventName: def.name, fields, eventUuid: randomUUID(), publishedAt: this.deps.clock.now() });
    return id;
  }

  /** Maps request keys onto fields, resolving `Relationship: { ExtId__c: value }` references. */
  private readInput(def: ObjectDef, input: Record<string, unknown>, mode: 'create' | 'update', options: WriteOptions): Mutable {
    const values: Mutable = {};
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      if (key.toLowerCase() === 'id' && mode === 'update') continue;
      let field = this.deps.catalog.field(def.name, key);
      let value: unknown = raw;
      if (!field && raw !== null && typeof raw === 'object') {
        const lookup = this.deps.catalog.relationship(def.name, key);
        if (lookup) {
          field = lookup;
          value = this.resolveForeignKey(lookup, raw as Record<string, unknown>);
        }
      }
      if (!field) throw new RecordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, [key]);
      if (field.name === 'Id' && mode === 'create') {
        values.Id = String(raw);
        continue;
      }
      const allowed = mode === 'create' ? field.createable : field.updateable;
      if (!allowed) {
        throw new RecordError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field.name],
        );
      }
      values[field.name] = coerceValue(field, value, options.fromText);
    }
    return values;
  }

  private resolveForeignKey(lookup: FieldDef, reference: Record<string, unknown>): string {
    const target = lookup.referenceTo?.[0] ?? '';
    const keys = Object.keys(reference).filter((k) => k !== 'attributes');
    const keyName = keys[0];
    const keyField = keys.length === 1 && keyName !== undefined ? this.deps.catalog.field(target, keyName) : undefined;
    if (!keyField?.externalId) {
      throw new RecordError('INVALID_FIELD', `${lookup.relationshipName ?? lookup.name}: a reference by external ID names exactly one External ID field of ${target}`, [lookup.name]);
    }
    const value = reference[keyName as string];
    const matches = this.deps.store.findByExternalId(target, keyField, coerceValue(keyField, value));
    if (matches.length === 0) {
      throw new RecordError('INVALID_FIELD', `Foreign key external ID: ${String(value)} not found for field ${keyField.name} in entity ${target}`, [lookup.name]);
    }
    if (matches.length > 1) {
      throw new RecordError('INVALID_FIELD', `Foreign key external ID: ${String(value)} matches more than one ${target} for field ${keyField.name}`, [lookup.name]);
    }
    return matches[0] as string;
  }

  private checkRequired(def: ObjectDef, row: Mutable): void {
    const missing = def.fields.filter((f) => f.required && (row[f.name] === null || row[f.name] === undefined)).map((f) => f.name);
    if (missing.length > 0) throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }

  private checkReferences(def: ObjectDef, row: Mutable, touched: string[]): void {
    for (const name of touched) {
      const field = this.deps.catalog.field(def.name, name);
      const value = row[field?.name ?? name];
      if (!field || field.type !== 'reference' || typeof value !== 'string') continue;
      const target = this.deps.catalog.object(field.referenceTo?.[0] ?? '');
      if (!target || value.slice(0, 3) !== target.keyPrefix) {
        throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
      }
      if (!this.deps.store.get(target.name, value)) {
        throw new RecordError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
      }
    }
  }

  private checkUnique(def: ObjectDef, row: Mutable, touched: string[]): void {
    for (const name of touched) {
      const field = this.deps.catalog.field(def.name, name);
      if (!field?.unique || !field.externalId) continue;
      const others = this.deps.store.findByExternalId(def.name, field, row[field.name] ?? null).filter((id) => id !== row.Id);
      if (others.length > 0) {
        throw new RecordError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${others[0]}`, [field.name]);
      }
    }
  }
}

/** Several rows share the External ID value: REST answers 300, collections a per-record error. */
export class MultipleMatchError extends SalesforceApiError {
  constructor(
    readonly objectName: string,
    readonly fieldName: string,
    readonly ids: string[],
  ) {
    super(300, 'DUPLICATE_EXTERNAL_ID', `${fieldName}: more than one record found for external id field: [${ids.join(', ')}]`, [fieldName]);
  }
}
