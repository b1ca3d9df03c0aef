/** Syntax tree of the supported SOQL subset. */
export interface FieldPath {
  kind: 'field';
  /** relationship names then the field, e.g. ['Account', 'QAD_Id__c'] */
  path: string[];
}

export type SelectItem = FieldPath | { kind: 'count' } | { kind: 'subquery'; query: SelectQuery };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  /** TODAY, LAST_N_DAYS:n ... resolved against the sandbox clock at evaluation */
  | { kind: 'dateLiteral'; name: string; n?: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldPath; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] };

export interface OrderBy {
  field: FieldPath;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SelectQuery {
  select: SelectItem[];
  from: string;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
  offset?: number;
}
