import { malformedQuery, SalesforceApiError } from '../errors.js';
import { parseDateTime } from '../values.js';
import type { ComparisonOperator, Condition, FieldPath, Literal, OrderBy, SelectItem, SelectQuery } from './ast.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Recursive-descent parser for the SOQL a connector needs (see ast.ts). Anything outside that
 * subset is refused with MALFORMED_QUERY naming the construct, so a caller never gets a silently
 * wrong answer from the sandbox.
 */
const UNSUPPORTED = new Set(['GROUP', 'HAVING', 'TYPEOF', 'FOR', 'WITH', 'USING', 'INCLUDES', 'EXCLUDES', 'ROLLUP', 'CUBE', 'FIELDS', 'FORMAT', 'TOLABEL', 'CONVERTCURRENCY']);
const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'ASC', 'DESC', 'NULLS', 'NULL', 'TRUE', 'FALSE']);
const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW']);
const DATE_N_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);

export const MAX_OFFSET = 2000;

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index += 1;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(`expecting '${word}'`);
  }

  private acceptPunct(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) return false;
    this.index += 1;
    return true;
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) this.fail(`expecting '${text}'`);
  }

  fail(what: string): never {
    const token = this.peek();
    const found = token.kind === 'eof' ? 'end of query' : `'${token.text}'`;
    if (token.kind === 'ident' && UNSUPPORTED.has(token.text.toUpperCase())) {
      throw malformedQuery(`${token.text.toUpperCase()} is not supported by the sandbox's SOQL subset (at position ${token.position})`);
    }
    throw malformedQuery(`unexpected token: ${found} at position ${token.position}, ${what}`);
  }

  parseQuery(nested: boolean): SelectQuery {
    this.expectKeyword('SELECT');
    const select = this.parseSelectList();
    this.expectKeyword('FROM');
    const fromToken = this.next();
    if (fromToken.kind !== 'ident') this.fail('expecting an object name');
    if (this.peek().kind === 'ident' && !RESERVED.has(this.peek().text.toUpperCase()) && !UNSUPPORTED.has(this.peek().text.toUpperCase())) {
      this.fail('object aliases are not supported by the sandbox');
    }
    const query: SelectQuery = { select, from: fromToken.text, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.parseOr();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      query.orderBy = this.parseOrderBy();
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.parseCount('LIMIT');
    if (this.acceptKeyword('OFFSET')) {
      if (nested) this.fail('OFFSET is not supported in a subquery');
      query.offset = this.parseCount('OFFSET');
      if (query.offset > MAX_OFFSET) {
        throw new SalesforceApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
      }
    }
    if (!nested && this.peek().kind !== 'eof') this.fail('expecting end of query');
    return query;
  }

  private parseCount(clause: string): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) {
      this.index -= 1;
      this.fail(`${clause} takes a non-negative integer`);
    }
    return Number(token.text);
  }

  private parseSelectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.acceptPunct('(')) {
        items.push({ kind: 'subquery', query: this.parseQuery(true) });
        this.expectPunct(')');
        continue;
      }
      const token = this.peek();
      if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase())) this.fail('expecting a field name');
      if (token.text.toUpperCase() === 'COUNT' && this.peek(1).text === '(') {
        this.index += 2;
        if (!this.acceptPunct(')')) this.fail('only COUNT() without a field is supported by the sandbox');
        items.push({ kind: 'count' });
        continue;
      }
      if (this.peek(1).text === '(') this.fail(`function ${token.text}() is not supported by the sandbox`);
      items.push(this.parseField());
    } while (this.acceptPunct(','));
    if (items.some((i) => i.kind === 'count') && items.length > 1) {
      throw malformedQuery('COUNT() must be the only item of the SELECT list');
    }
    return items;
  }

  private parseField(): FieldPath {
    const token = this.next();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase())) {
      this.index -= 1;
      this.fail('expecting a field name');
    }
    return { kind: 'field', path: token.text.split('.') };
  }

  private parseOr(): Condition {
    const items = [this.parseAnd()];
    while (this.acceptKeyword('OR')) items.push(this.parseAnd());
    return items.length === 1 ? (items[0] as Condition) : { kind: 'or', items };
  }

  private parseAnd(): Condition {
    const items = [this.parseUnary()];
    while (this.acceptKeyword('AND')) items.push(this.parseUnary());
    return items.length === 1 ? (items[0] as Condition) : { kind: 'and', items };
  }

  private parseUnary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.parseUnary() };
    if (this.acceptPunct('(')) {
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Condition {
    const field = this.parseField();
    const negated = this.isKeyword('NOT') && this.isKeyword('IN', 1);
    if (negated) this.index += 1;
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      if (this.isKeyword('SELECT')) this.fail('semi-join subqueries are not supported by the sandbox');
      const values: Literal[] = [this.parseLiteral()];
      while (this.acceptPunct(',')) values.push(this.parseLiteral());
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    let op: ComparisonOperator;
    if (this.acceptKeyword('LIKE')) op = 'LIKE';
    else {
      const token = this.peek();
      if (token.kind !== 'punct' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) this.fail('expecting a comparison operator');
      this.index += 1;
      op = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
    }
    return { kind: 'compare', field, op, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'date':
        return { kind: 'date', value: token.text };
      case 'datetime': {
        const ms = parseDateTime(token.text);
        if (ms === null) throw malformedQuery(`invalid dateTime literal ${token.text}`);
        return { kind: 'datetime', value: ms };
      }
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null' };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (DATE_LITERALS.has(word)) return { kind: 'dateLiteral', name: word };
        if (DATE_N_LITERALS.has(word)) {
          this.expectPunct(':');
          const n = this.parseCount(word);
          return { kind: 'dateLiteral', name: word, n };
        }
        if (token.text.startsWith(':')) break;
        this.index -= 1;
        return this.fail(`${token.text} is not a literal the sandbox supports`);
      }
      default:
        break;
    }
    this.index -= 1;
    return this.fail('expecting a literal value');
  }

  private parseOrderBy(): OrderBy[] {
    const items: OrderBy[] = [];
    do {
      const field = this.parseField();
      let descending = false;
      if (this.acceptKeyword('DESC')) descending = true;
      else this.acceptKeyword('ASC');
      let nullsFirst = !descending;
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('FIRST')) nullsFirst = true;
        else if (this.acceptKeyword('LAST')) nullsFirst = false;
        else this.fail("expecting 'FIRST' or 'LAST'");
      }
      items.push({ field, descending, nullsFirst });
    } while (this.acceptPunct(','));
    return items;
  }
}

export function parseSoql(soql: string): SelectQuery {
  if (soql.trim() === '') throw malformedQuery('the query is empty');
  return new Parser(tokenize(soql)).parseQuery(false);
}
