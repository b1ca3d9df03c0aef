import { describe, expect, it } from 'vitest';
import { decodeFieldBitmaps } from '../../../src/clients/salesforce/pubsub/bitmap.js';
import { encodeFieldBitmaps, type FieldLocation } from '../../../sandbox/salesforce/pubsub/bitmapEncoding.js';

describe('encodeFieldBitmaps (sandbox)', () => {
  it('writes the documented examples in upper case, byte-padded', () => {
    expect(encodeFieldBitmaps([{ index: 4 }])).toEqual(['0x10']);
    expect(encodeFieldBitmaps([{ index: 1 }, { index: 2 }])).toEqual(['0x06']);
    const locations: FieldLocation[] = [5, 6, 7, 10, 24, 26, 29, 30].map((index) => ({ index }));
    locations.push({ index: 4, childIndex: 4 }, { index: 7, childIndex: 1 }, { index: 7, childIndex: 2 });
    expect(encodeFieldBitmaps(locations)).toEqual([
      '0x650004E0',
      '4-0x10',
      '7-0x06',
    ]);
    expect(encodeFieldBitmaps([])).toEqual([]);
  });

  it('round-trips through the consumer decoder', () => {
    const fields = [{ name: 'H' }, { name: 'A' }, { name: 'Addr', children: ['Street', 'City', 'State'] }, { name: 'B' }];
    const bitmaps = encodeFieldBitmaps([{ index: 3 }, { index: 2, childIndex: 1 }, { index: 2, childIndex: 2 }]);
    expect(decodeFieldBitmaps(bitmaps, fields)).toEqual(['B', 'Addr.City', 'Addr.State']);
  });
});
