import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeObject } from '../../sandbox/salesforce/schema/describe.js';
import { SchemaCatalog } from '../../sandbox/salesforce/schema/catalog.js';
import {
  assertMappingsMatchOrg,
  checkMappingAgainstDescribe,
  fieldLengths,
  loadMappings,
  mapQadToSalesforce,
  mapSalesforceToQad,
  parseMappingFile,
  salesforceOwnedFields,
  type MappingFile,
  type SObjectDescribeLike,
} from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const mappingsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/mappings');
const catalog = new SchemaCatalog();
function orgDescribe(name: string): SObjectDescribeLike {
  const def = catalog.object(name);
  if (!def) throw new Error(`the simulated org has no ${name}`);
  return describeObject(def, '66.0') as unknown as SObjectDescribeLike;
}

describe('mapping files', () => {
  const mappings = loadMappings(mappingsDir);

  it('loads the shipped v1 mappings, one per QAD object', () => {
    expect(mappings.names()).toEqual(['qad-contact-contact', 'qad-customer-account', 'qad-item-product', 'qad-supplier-account']);
    const selected = mappings.select();
    expect(selected.map((m) => `${m.qadObject}->${m.salesforceObject}@${m.version}`).sort()).toEqual([
      'contact->Contact@1',
      'customer->Account@1',
      'item->Product2@1',
      'supplier->Account@1',
    ]);
    expect(mappings.get('qad-item-product@1').externalId).toBe('QAD_Item_Number__c');
    expect(() => mappings.get('qad-item-product@7')).toThrowError(expect.objectContaining({ problems: ['mappings: "qad-item-product" has no version 7. Fix: use one of qad-item-product@1'] }));
  });

  it('match the simulated org\'s describe of Account, Product2 and Contact', () => {
    const describes = new Map(['Account', 'Product2', 'Contact'].map((name) => [name, orgDescribe(name)]));
    expect(() => assertMappingsMatchOrg(mappings.select(), describes)).not.toThrow();
  });

  it('reports every problem against a describe, naming the field and the fix', () => {
    const account = orgDescribe('Account');
    const changed: SObjectDescribeLike = {
      ...account,
      fields: account.fields
        .filter((field) => field.name !== 'QAD_Is_Customer__c')
        .map((field) => {
          if (field.name === 'BillingCity') return { ...field, updateable: false };
          if (field.name === 'Name') return { ...field, length: 20 };
          if (field.name === 'Phone') return { ...field, type: 'boolean' };
          if (field.name === 'QAD_Id__c') return { ...field, externalId: false, idLookup: false };
          return field;
        }),
    };
    const problems = checkMappingAgainstDescribe(mappings.get('qad-customer-account'), changed);
    expect(problems).toEqual([
      'qad-customer-account@1 fields[1] Account.Name: QAD values of up to 36 characters do not fit its length 20. Fix: widen the field, or set "truncate": true',
      'qad-customer-account@1 fields[3] Account.BillingCity: the bridge writes it but it is not updateable for the integration user. Fix: grant edit access in QAD_Sync_Integration, or set "ownership": "salesforce"',
      'qad-customer-account@1 fields[7] Account.Phone: a text value cannot go into a boolean field. Fix: map a boolean field, or change the mapping kind',
      'qad-customer-account@1 fields[8] Account.QAD_Is_Customer__c: does not exist in the org. Fix: did you mean QAD_Is_Supplier__c? correct the name or deploy the ml-connector package to this org, or give the integration user field access',
      'qad-customer-account@1 externalId Account.QAD_Id__c: is not an External ID field, so upserts cannot use it. Fix: mark it External ID (the package does) or pick one that is',
    ]);
    expect(() => assertMappingsMatchOrg([mappings.get('qad-customer-account')], new Map([['Account', changed]]))).toThrowError(
      expect.objectContaining({ code: 'BRIDGE_ERR_MAPPING_CHECK', problems }),
    );
  });

  it('checks that a link field looks up the linked object', () => {
    const contact = orgDescribe('Contact');
    const wrong: SObjectDescribeLike = { ...contact, fields: contact.fields.map((f) => (f.name === 'AccountId' ? { ...f, referenceTo: ['User'] } : f)) };
    expect(checkMappingAgainstDescribe(mappings.get('qad-contact-contact'), wrong)).toEqual([
      'qad-contact-contact@1 fields[6] Contact.AccountId: looks up User, not Account. Fix: set link.object to User',
    ]);
  });

  it('refuses a malformed mapping file with the file, path and fix', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-map-'));
    try {
      const good = JSON.parse(readFileSync(path.join(mappingsDir, 'qad-item-product.v1.json'), 'utf8'));
      const bad = structuredClone(good);
      bad.fields[1].ownership = 'erp';
      bad.fields[2].salesfroce = bad.fields[2].salesforce;
      bad.fields.push({ salesforce: 'Family', constant: 'Hardware', ownership: 'both' });
      writeFileSync(path.join(dir, 'item.json'), JSON.stringify(bad));
      writeFileSync(path.join(dir, 'broken.json'), '{');
      try {
        loadMappings(dir);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        expect(problems).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^broken\.json: is not valid JSON .*Fix: correct the JSON syntax/),
            'item.json: fields[1].ownership: must be "qad", "salesforce" or "both". Fix: say which system owns the field',
            'item.json: fields[2].salesfroce: unknown key. Fix: rename it to "salesforce"',
          ]),
        );
      }
      // the computed-field rule is checked once the shapes are right
      const computed = structuredClone(good);
      computed.fields.push({ salesforce: 'Family', constant: 'Hardware', ownership: 'both' });
      expect(() => parseMappingFile(computed, 'item.json')).toThrowError(
        expect.objectContaining({ problems: ['item.json: fields[6].ownership: a constant, key or link field cannot be written back to QAD. Fix: set "ownership": "qad"'] }),
      );
      const cutKey = structuredClone(good);
      cutKey.fields.find((f: { qadKey?: boolean }) => f.qadKey).truncate = true;
      expect(() => parseMappingFile(cutKey, 'item.json')).toThrowError(
        expect.objectContaining({ problems: [expect.stringMatching(/^item\.json: fields\[\d\]\.truncate: a key field cannot be cut to fit.*Fix: remove "truncate" from the key field$/)] }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('applying mappings', () => {
  const mappings = loadMappings(mappingsDir);
  const customer: MappingFile = mappings.get('qad-customer-account');
  const supplier: MappingFile = mappings.get('qad-supplier-account');

  it('builds an Account upsert with the joined street and only its own role flag', () => {
    const record = {
      object: 'customer',
      key: '10USA|C1001',
      fields: { code: 'C1001', sharedSet: '10USA', name: ' Acme Corp ', addressLine1: '1 Main St', addressLine2: 'Suite 5', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US', phone: null },
    };
    const write = mapQadToSalesforce(customer, record, () => null);
    expect(write).toEqual({
      fields: {
        QAD_Id__c: '10USA|C1001',
        Name: 'Acme Corp',
        BillingStreet: '1 Main St\nSuite 5',
        BillingCity: 'Austin',
        BillingState: 'TX',
        BillingPostalCode: '78701',
        BillingCountry: 'US',
        QAD_Is_Customer__c: true,
      },
      externalId: { field: 'QAD_Id__c', value: '10USA|C1001' },
      missingLinks: [],
    });
    expect(mapQadToSalesforce(supplier, { ...record, object: 'supplier' }, () => null).fields).toMatchObject({ QAD_Is_Supplier__c: true });
    expect(mapQadToSalesforce(supplier, { ...record, object: 'supplier' }, () => null).fields).not.toHaveProperty('QAD_Is_Customer__c');
  });

  it('carries only Salesforce-owned or shared fields back, splitting the street', () => {
    expect(salesforceOwnedFields(customer)).toEqual(['Name', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry', 'Phone']);
    const back = mapSalesforceToQad(customer, { Name: 'Acme Inc', BillingStreet: '9 Elm Rd\nFloor 2\nRoom 7', QAD_Id__c: 'x', Phone: '555' }, ['Name', 'BillingStreet', 'QAD_Id__c']);
    expect(back).toEqual({ name: 'Acme Inc', addressLine1: '9 Elm Rd', addressLine2: 'Floor 2 Room 7' });
  });

  it('names the missing Account link of a contact so the job can wait on it', () => {
    const contact = mappings.get('qad-contact-contact');
    const record = { object: 'contact', key: 'CT-9', fields: { contactId: 'CT-9', customerCode: 'C1001', sharedSet: '10USA', firstName: 'Ada', lastName: 'Lovelace' } };
    const waiting = mapQadToSalesforce(contact, record, () => null);
    expect(waiting.missingLinks).toEqual([{ object: 'Account', qadKey: '10USA|C1001', waitingOn: 'Account:10USA|C1001' }]);
    expect(waiting.fields).not.toHaveProperty('AccountId');
    const linked = mapQadToSalesforce(contact, record, (object, key) => (object === 'Account' && key === '10USA|C1001' ? '001000000000001AAA' : null));
    expect(linked.fields).toMatchObject({ AccountId: '001000000000001AAA', QAD_Contact_Id__c: 'CT-9', LastName: 'Lovelace' });
  });

  it('derives IsActive from the item status and falls back to the item code for a missing name', () => {
    const item = mappings.get('qad-item-product');
    const lengths = fieldLengths(orgDescribe('Product2'));
    const active = mapQadToSalesforce(item, { object: 'item', key: 'W-1', fields: { itemCode: 'W-1', description: '', description2: 'blue', status: 'ACTIVE', unitOfMeasure: 'EA' } }, () => null, lengths);
    expect(active.fields).toEqual({ QAD_Item_Number__c: 'W-1', Name: 'W-1', ProductCode: 'W-1', Description: 'blue', IsActive: true, QuantityUnitOfMeasure: 'EA' });
    const obsolete = mapQadToSalesforce(item, { object: 'item', key: 'W-2', fields: { itemCode: 'W-2', description: 'Widget', status: 'OBSOLETE' } }, () => null);
    expect(obsolete.fields).toMatchObject({ Name: 'Widget', IsActive: false, Description: 'Widget' });
  });
});
