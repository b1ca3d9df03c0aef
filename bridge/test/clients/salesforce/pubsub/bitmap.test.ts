import { describe, expect, it } from 'vitest';
import { decodeFieldBitmaps, type BitmapField } from '../../../../src/clients/salesforce/pubsub/bitmap.js';
import { PubSubDecodeError } from '../../../../src/clients/salesforce/pubsub/errors.js';

// A schema with the documented shape: index 0 the header, compound fields at 4 and 7.
const fields: BitmapField[] = [
  { name: 'ChangeEventHeader' },
  { name: 'Name' },
  { name: 'Type' },
  { name: 'Phone' },
  { name: 'BillingAddress', children: ['Street', 'City', 'State', 'PostalCode', 'Country'] },
  { name: 'LastModifiedDate' },
  { name: 'Website' },
  { name: 'ShippingAddress', children: ['Street', 'City', 'State', 'PostalCode', 'Country'] },
  ...Array.from({ length: 24 }, (_, index) => ({ name: `Field${index + 8}` })),
];

describe('decodeFieldBitmaps', () => {
  it('0x10 is field index 4', () => {
    expect(decodeFieldBitmaps(['0x10'], fields)).toEqual(['BillingAddress']);
  });

  it('0x06 is field indexes 1 and 2', () => {
    expect(decodeFieldBitmaps(['0x06'], fields)).toEqual(['Name', 'Type']);
  });

  it('decodes the documented compound example into Parent.Child names', () => {
    const names = decodeFieldBitmaps(['0x650004E0', '4-0x10', '7-0x06'], fields);
    // 0x650004E0: bits 5, 6, 7, 10, 24, 26, 29, 30
    expect(names.slice(0, 8)).toEqual(['LastModifiedDate', 'Website', 'ShippingAddress', 'Field10', 'Field24', 'Field26', 'Field29', 'Field30']);
    expect(names.slice(8)).toEqual(['BillingAddress.Country', 'ShippingAddress.City', 'ShippingAddress.State']);
  });

  it('gives the documented Account update names: LastModifiedDate, BillingAddress.City, BillingAddress.State', () => {
    expect(decodeFieldBitmaps(['0x20', '4-0x06'], fields)).toEqual(['LastModifiedDate', 'BillingAddress.City', 'BillingAddress.State']);
  });

  it('reads lower-case hex the same as upper case', () => {
    expect(decodeFieldBitmaps(['0x650004e0', '4-0x1a'], fields)).toEqual(decodeFieldBitmaps(['0x650004E0', '4-0x1A'], fields));
  });

  it('ignores bits past the end of the schema and returns nothing for an empty list', () => {
    expect(decodeFieldBitmaps(['0x0100000000000002'], fields.slice(0, 4))).toEqual(['Name']);
    expect(decodeFieldBitmaps([], fields)).toEqual([]);
  });

  it('refuses malformed bitmaps with an error naming the bitmap', () => {
    expect(() => decodeFieldBitmaps(['0xZZ'], fields, 'changedFields')).toThrow(PubSubDecodeError);
    expect(() => decodeFieldBitmaps(['3-0x01'], fields, 'changedFields')).toThrow(/not a compound field/);
    expect(() => decodeFieldBitmaps(['x-0x01'], fields, 'changedFields')).toThrow(/changedFields/);
  });
});
