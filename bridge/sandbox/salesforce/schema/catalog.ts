import { dateTime, systemFields, text } from './fields.js';
import { PACKAGE_FIELDS_ON_STANDARD_OBJECTS, PACKAGE_OBJECTS } from './packageObjects.js';
import { STANDARD_OBJECTS } from './standardObjects.js';
import type { ChildRelationship, FieldDef, ObjectDef } from './types.js';

/** Child relationship names the platform gives standard lookups (custom ones get `<name>__r`). */
const STANDARD_CHILD_NAMES: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Order.AccountId': 'Orders',
  'Order.Pricebook2Id': 'Orders',
  'OrderItem.OrderId': 'OrderItems',
  'OrderItem.Product2Id': 'OrderItems',
  'OrderItem.PricebookEntryId': 'OrderItems',
  'PricebookEntry.Pricebook2Id': 'PricebookEntries',
  'PricebookEntry.Product2Id': 'PricebookEntries',
  'Sync_Audit__c.Replay_Of__c': 'Replays__r',
  'Sync_Audit__c.Requested_By__c': 'Sync_Audit_Replay_Requests__r',
};

export interface CatalogOptions {
  /** extra custom fields per object, e.g. a non-unique External ID for tests of the 300 answer */
  extraFields?: Record<string, FieldDef[]>;
}

export class SchemaCatalog {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly lowerNames = new Map<string, string>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();

  constructor(options: CatalogOptions = {}) {
    for (const shape of STANDARD_OBJECTS) {
      const extra = [...(PACKAGE_FIELDS_ON_STANDARD_OBJECTS[shape.name] ?? []), ...(options.extraFields?.[shape.name] ?? [])];
      this.add({ ...shape, custom: false, childRelationships: [], fields: [...systemFields(), ...shape.fields, ...extra] });
    }
    for (const shape of PACKAGE_OBJECTS) {
      const own = shape.isEvent ? eventFields() : systemFields();
      const extra = options.extraFields?.[shape.name] ?? [];
      this.add({ ...shape, custom: true, childRelationships: [], fields: [...own, ...shape.fields, ...extra] });
    }
    this.linkChildRelationships();
  }

  private add(def: ObjectDef): void {
    this.objects.set(def.name, def);
    this.lowerNames.set(def.name.toLowerCase(), def.name);
    this.fieldIndex.set(def.name, new Map(def.fields.map((f) => [f.name.toLowerCase(), f])));
  }

  private linkChildRelationships(): void {
    for (const child of this.objects.values()) {
      if (child.isEvent) continue;
      for (const field of child.fields) {
        const relationshipName = STANDARD_CHILD_NAMES[`${child.name}.${field.name}`];
        const parentName = field.referenceTo?.[0];
        if (!relationshipName || !parentName) continue;
        const rel: ChildRelationship = { childSObject: child.name, field: field.name, relationshipName };
        this.objects.get(parentName)?.childRelationships.push(rel);
      }
    }
  }

  /** Object by API name, case-insensitive as the platform resolves it. */
  object(name: string): ObjectDef | undefined {
    const canonical = this.lowerNames.get(name.toLowerCase());
    return canonical === undefined ? undefined : this.objects.get(canonical);
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName)?.get(fieldName.toLowerCase());
  }

  /** A lookup field found by its relationship name (`Account` -> AccountId on Contact). */
  relationship(objectName: string, relationshipName: string): FieldDef | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.object(objectName)?.fields.find((f) => f.relationshipName?.toLowerCase() === wanted);
  }

  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.object(objectName)?.childRelationships.find((r) => r.relationshipName.toLowerCase() === wanted);
  }

  all(): ObjectDef[] {
    return [...this.objects.values()];
  }

  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.all().find((o) => o.keyPrefix === prefix);
  }

  externalIdFields(objectName: string): FieldDef[] {
    return this.object(objectName)?.fields.filter((f) => f.externalId) ?? [];
  }
}

/** Platform events carry no audit fields a client can query, only these. */
function eventFields(): FieldDef[] {
  const readOnly = { createable: false, updateable: false, custom: false };
  return [
    text('ReplayId', 'Replay ID', 255, readOnly),
    dateTime('CreatedDate', 'Created Date', { ...readOnly, nillable: false }),
    text('CreatedById', 'Created By ID', 18, { ...readOnly, nillable: false }),
    text('EventUuid', 'Event UUID', 36, readOnly),
  ];
}
