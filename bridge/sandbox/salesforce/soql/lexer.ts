import { malformedQuery } from '../errors.js';

/**
 * Tokens of the SOQL subset the sandbox understands. The SOQL engine is written here (a small
 * lexer, a recursive-descent parser and an evaluator over the in-memory store) because no
 * maintained JavaScript library evaluates SOQL against data; the parsers that exist only build
 * query strings or ASTs for other purposes.
 */
export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** identifiers keep their spelling; keywords are compared upper-cased by the parser */
  text: string;
  position: number;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const PUNCT = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', ':'];

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const rest = soql.slice(i);
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        const c = soql[j];
        if (c === undefined) throw malformedQuery(`unterminated string literal starting at position ${i}`);
        if (c === "'") break;
        if (c === '\\') {
          const next = soql[j + 1] ?? '';
          const mapped = ESCAPES[next];
          if (mapped === undefined) throw malformedQuery(`invalid escape sequence \\${next} at position ${j}`);
          value += mapped;
          j += 2;
          continue;
        }
        value += c;
        j += 1;
      }
      tokens.push({ kind: 'string', text: value, position: i });
      i = j + 1;
      continue;
    }
    const datetime = DATETIME_RE.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', text: datetime[0], position: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE_RE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', text: date[0], position: i });
      i += date[0].length;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const signAllowed = !previous || previous.kind === 'punct';
    const number = NUMBER_RE.exec(rest);
    if (number && (/\d|\./.test(ch) || signAllowed)) {
      tokens.push({ kind: 'number', text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT_RE.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], position: i });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => rest.startsWith(p));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct, position: i });
      i += punct.length;
      continue;
    }
    throw malformedQuery(`unexpected character '${ch}' at position ${i}`);
  }
  tokens.push({ kind: 'eof', text: '', position: soql.length });
  return tokens;
}
