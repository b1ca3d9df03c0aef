import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../../../sandbox/salesforce/errors.js';
import { parseSoql } from '../../../sandbox/salesforce/soql/parser.js';

function errorOf(soql: string): SalesforceApiError {
  try {
    parseSoql(soql);
  } catch (error) {
    return error as SalesforceApiError;
  }
  throw new Error(`expected ${soql} to be refused`);
}

describe('SOQL parser', () => {
  it('parses fields, parent paths, a child subquery, WHERE, ORDER BY, LIMIT and OFFSET', () => {
    const q = parseSoql(
      "SELECT Id, Account.QAD_Id__c, (SELECT Quantity FROM OrderItems WHERE Quantity > 1 ORDER BY Quantity DESC LIMIT 5) FROM Order WHERE (Status = 'Draft' OR Status != 'Activated') AND NOT EffectiveDate < 2026-01-01 ORDER BY EffectiveDate DESC NULLS FIRST, Id LIMIT 10 OFFSET 20",
    );
    expect(q.from).toBe('Order');
    expect(q.select[1]).toEqual({ kind: 'field', path: ['Account', 'QAD_Id__c'] });
    expect(q.select[2]?.kind).toBe('subquery');
    expect(q.where?.kind).toBe('and');
    expect(q.orderBy).toEqual([
      { field: { kind: 'field', path: ['EffectiveDate'] }, descending: true, nullsFirst: true },
      { field: { kind: 'field', path: ['Id'] }, descending: false, nullsFirst: true },
    ]);
    expect(q.limit).toBe(10);
    expect(q.offset).toBe(20);
  });

  it('reads literals: strings with escapes, numbers, booleans, null, dates, datetimes and relative dates', () => {
    const q = parseSoql(
      "SELECT Id FROM Account WHERE Name = 'O\\'Brien' AND Attempt__c >= -2.5 AND IsDeleted = false AND Phone = null AND CreatedDate > 2026-01-01T10:00:00Z AND LastModifiedDate = LAST_N_DAYS:7 AND Id IN ('a','b') AND Name NOT IN ('x')",
    );
    const items = (q.where as { items: Array<{ value?: unknown; values?: unknown; negated?: boolean }> }).items;
    expect(items[0]?.value).toEqual({ kind: 'string', value: "O'Brien" });
    expect(items[1]?.value).toEqual({ kind: 'number', value: -2.5 });
    expect(items[2]?.value).toEqual({ kind: 'boolean', value: false });
    expect(items[3]?.value).toEqual({ kind: 'null' });
    expect(items[4]?.value).toEqual({ kind: 'datetime', value: Date.parse('2026-01-01T10:00:00Z') });
    expect(items[5]?.value).toEqual({ kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 7 });
    expect(items[6]?.values).toHaveLength(2);
    expect(items[7]?.negated).toBe(true);
  });

  it('parses COUNT() alone and refuses it beside fields', () => {
    expect(parseSoql('SELECT COUNT() FROM Account').select).toEqual([{ kind: 'count' }]);
    expect(errorOf('SELECT COUNT(), Id FROM Account').errorCode).toBe('MALFORMED_QUERY');
  });

  it('refuses what it does not support with MALFORMED_QUERY naming the construct', () => {
    expect(errorOf('SELECT Name FROM Account GROUP BY Name').message).toMatch(/GROUP is not supported/);
    expect(errorOf('SELECT MAX(Name) FROM Account').message).toMatch(/MAX\(\) is not supported/);
    expect(errorOf("SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)").message).toMatch(/semi-join/);
    expect(errorOf('SELECT Id FROM Account WHERE Name = :name').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id FROM Account a').message).toMatch(/alias/);
    expect(errorOf("SELECT Id FROM Account WHERE Name = 'open").message).toMatch(/unterminated/);
    expect(errorOf('SELECT FROM Account').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id FROM Account LIMIT x').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('').errorCode).toBe('MALFORMED_QUERY');
  });

  it('refuses OFFSET past 2,000 with NUMBER_OUTSIDE_VALID_RANGE', () => {
    expect(parseSoql('SELECT Id FROM Account OFFSET 2000').offset).toBe(2000);
    const error = errorOf('SELECT Id FROM Account OFFSET 2001');
    expect(error.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    expect(error.statusCode).toBe(400);
  });

  it('accepts Order as an object name although ORDER is a keyword', () => {
    expect(parseSoql('SELECT Id FROM Order ORDER BY Id').from).toBe('Order');
  });
});
