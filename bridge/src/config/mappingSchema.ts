import { z } from 'zod';

/**
 * One mapping file: how one QAD object becomes one Salesforce object, field by field, and which
 * side owns each field. `qad` owned fields go QAD → Salesforce only, `salesforce` owned fields go
 * Salesforce → QAD only, `both` go either way (last change wins; loop prevention by hash).
 * Computed fields (a constant role flag, a lookup through a link, the record key) are QAD-owned.
 */
export const OWNERSHIPS = ['qad', 'salesforce', 'both'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const QAD_MAPPED_OBJECTS = ['customer', 'supplier', 'item', 'contact'] as const;
export type QadMappedObject = (typeof QAD_MAPPED_OBJECTS)[number];

const ownership = z.enum(OWNERSHIPS, { error: 'must be "qad", "salesforce" or "both". Fix: say which system owns the field' });
const sfName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must be a Salesforce API name. Fix: e.g. "BillingCity" or "QAD_Id__c"' });
const qadName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: 'must be a canonical QAD field name (CONTRACTS §5). Fix: e.g. "addressLine1"' });

const common = {
  salesforce: sfName,
  ownership,
  /** longest value QAD can hold; checked against the Salesforce field length */
  maxLength: z.int().min(1).optional(),
  /** cut longer values to the Salesforce field length instead of failing the check */
  truncate: z.boolean().default(false),
  description: z.string().optional(),
};

const copyField = z.strictObject({
  ...common,
  qad: qadName,
  /** used when `qad` is empty (e.g. Product2.Name from the item code when there is no description) */
  fallback: qadName.optional(),
  transform: z.enum(['none', 'trim', 'upper', 'lower']).default('none'),
});

const joinField = z.strictObject({
  ...common,
  /** several QAD fields into one Salesforce field; Salesforce → QAD splits by the separator, the remainder in the last field */
  qadJoin: z.array(qadName).min(2, { error: 'needs at least two fields. Fix: use "qad" for a single field' }),
  separator: z.string().default('\n'),
});

const flagField = z.strictObject({
  ...common,
  /** a boolean from membership of a QAD value in a list (e.g. item status ACTIVE → IsActive) */
  qadFlag: qadName,
  trueValues: z.array(z.union([z.string(), z.boolean(), z.number()])).min(1),
});

const constantField = z.strictObject({
  ...common,
  constant: z.union([z.string(), z.number(), z.boolean()]),
});

const keyField = z.strictObject({
  ...common,
  /** the QAD record key itself (`<sharedSet>|<code>`, `<domain>|<item>`, `<contactId>`) */
  qadKey: z.literal(true),
});

const linkField = z.strictObject({
  ...common,
  /** the Salesforce id of another linked record, found by its QAD key built from this template */
  link: z.strictObject({
    object: sfName,
    keyTemplate: z.string().regex(/\{[A-Za-z][A-Za-z0-9]*\}/, { error: 'must name QAD fields in braces. Fix: e.g. "{sharedSet}|{customerCode}"' }),
  }),
});

export const fieldMappingSchema = z.union([copyField, joinField, flagField, constantField, keyField, linkField], {
  error: 'must be one of: {"qad"}, {"qadJoin"}, {"qadFlag","trueValues"}, {"constant"}, {"qadKey": true}, {"link"} with "salesforce" and "ownership". Fix: compare with config/mappings/*.json',
});

export const mappingFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9-]+$/, { error: 'must be lower-case letters, digits and -. Fix: e.g. "qad-customer-account"' }),
    version: z.int().min(1),
    description: z.string().optional(),
    qadObject: z.enum(QAD_MAPPED_OBJECTS, { error: 'must be customer, supplier, item or contact. Fix: name the QAD object this file maps' }),
    salesforceObject: sfName,
    /** the Salesforce External ID field the records are upserted by */
    externalId: sfName,
    fields: z.array(fieldMappingSchema).min(1),
  })
  .superRefine((mapping, ctx) => {
    const seen = new Map<string, number>();
    mapping.fields.forEach((field, index) => {
      const lower = field.salesforce.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'salesforce'], message: `${field.salesforce} is already mapped by fields[${first}]. Fix: map each Salesforce field once` });
      }
      seen.set(lower, index);
      // a key cut to fit would give two QAD records one External ID and merge them into one record;
      // an over-long key is refused record by record instead (QAD_ERR_KEY_TOO_LONG)
      if ('qadKey' in field && field.truncate) {
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'truncate'], message: 'a key field cannot be cut to fit: two records would share one External ID. Fix: remove "truncate" from the key field' });
      }
      const computed = 'constant' in field || 'qadKey' in field || 'link' in field;
      if (computed && field.ownership !== 'qad') {
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'ownership'], message: 'a constant, key or link field cannot be written back to QAD. Fix: set "ownership": "qad"' });
      }
    });
    const external = mapping.fields.find((field) => field.salesforce === mapping.externalId);
    if (!external || !('qadKey' in external)) {
      ctx.addIssue({ code: 'custom', path: ['externalId'], message: `no field maps the QAD key onto ${mapping.externalId}. Fix: add {"salesforce": "${mapping.externalId}", "qadKey": true, "ownership": "qad"}` });
    }
  });

export type FieldMappingSpec = z.output<typeof fieldMappingSchema>;
export type MappingFile = z.output<typeof mappingFileSchema>;

export type FieldKind = 'copy' | 'join' | 'flag' | 'constant' | 'key' | 'link';

export function fieldKind(field: FieldMappingSpec): FieldKind {
  if ('qadJoin' in field) return 'join';
  if ('qadFlag' in field) return 'flag';
  if ('constant' in field) return 'constant';
  if ('qadKey' in field) return 'key';
  if ('link' in field) return 'link';
  return 'copy';
}

/** QAD → Salesforce carries qad and both; Salesforce → QAD carries salesforce and both. */
export function writesToSalesforce(field: FieldMappingSpec): boolean {
  return field.ownership !== 'salesforce';
}

export function writesToQad(field: FieldMappingSpec): boolean {
  return field.ownership !== 'qad';
}
