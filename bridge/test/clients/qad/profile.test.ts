import { describe, expect, it } from 'vitest';
import { QadConfigError } from '../../../src/clients/qad/errors.js';
import { salesOrderNumberFor } from '../../../src/clients/qad/orderNumber.js';
import { loadQadProfile, parseQadProfile } from '../../../src/clients/qad/profile.js';

describe('QAD profiles', () => {
  it.each(['adaptive-rest', 'webui-rest', 'qxtend-ee'])('ships a valid %s profile with every unconfirmed setting spelled out', async (name) => {
    const profile = await loadQadProfile(name);
    expect(profile.name).toBe(name);
    expect(Object.isFrozen(profile.objects)).toBe(true);
    expect(profile.objects.salesOrder.numberLength).toBe(8);
  });

  it('names the JSON path and the fix for each problem', async () => {
    const good = JSON.parse(JSON.stringify(await loadQadProfile('adaptive-rest')));
    good.objects.customer.browse.pageSize = 0;
    good.objects.item.entityPath = '/api/erp/../items';
    good.auth.transport = 'header';
    good.objects.supplier.colour = 'blue';
    const error = (() => {
      try {
        parseQadProfile(good, 'custom.json');
      } catch (e) {
        return e as QadConfigError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.code).toBe('QAD_ERR_PROFILE_INVALID');
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['$.objects.customer.browse.pageSize', '$.objects.item.entityPath', '$.auth.transport', '$.objects.supplier']));
    expect(error.issues.find((i) => i.path === '$.objects.customer.browse.pageSize')!.message).toMatch(/Fix: use a whole number between 1 and 10000/);
    expect(error.issues.find((i) => i.path === '$.objects.item.entityPath')!.message).toMatch(/starts with a slash/);
    expect(error.issues.find((i) => i.path === '$.objects.supplier')!.message).toMatch(/colour.*remove or rename/);
    expect(error.message).toContain('custom.json');
  });

  it('refuses a profile name that could leave the profile folder', async () => {
    await expect(loadQadProfile('../secrets')).rejects.toMatchObject({ code: 'QAD_ERR_PROFILE_NOT_FOUND' });
    await expect(loadQadProfile('no-such-profile')).rejects.toMatchObject({ code: 'QAD_ERR_PROFILE_NOT_FOUND' });
  });
});

describe('sales order numbers derived from Salesforce order ids', () => {
  it('is deterministic, fits the length and treats 15- and 18-character ids alike', () => {
    const a = salesOrderNumberFor('801Hs00000AbCdEIAV', { prefix: 'SF', length: 8 });
    expect(a).toMatch(/^SF[0-9A-Z]{6}$/);
    expect(salesOrderNumberFor('801Hs00000AbCdEIAV', { prefix: 'SF', length: 8 })).toBe(a);
    expect(salesOrderNumberFor('801Hs00000AbCdE', { prefix: 'SF', length: 8 })).toBe(a);
    expect(salesOrderNumberFor('801Hs00000AbCdFIAV', { prefix: 'SF', length: 8 })).not.toBe(a);
    expect(salesOrderNumberFor('801Hs00000AbCdEIAV', { prefix: 'X', length: 10 })).toMatch(/^X[0-9A-Z]{9}$/);
    const many = new Set(Array.from({ length: 5000 }, (_, i) => salesOrderNumberFor(`801TEST${i}`, { prefix: 'SF', length: 8 })));
    expect(many.size).toBe(5000);
    expect(() => salesOrderNumberFor('801x', { prefix: 'SFORDER', length: 8 })).toThrow(RangeError);
  });
});
