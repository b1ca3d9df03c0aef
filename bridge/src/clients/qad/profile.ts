import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { QadConfigError } from './errors.js';
import { validateEntityPath } from './urlPolicy.js';

/**
 * A QAD profile says how one kind of tenant speaks. QAD publishes no shared contract, so every path,
 * URN, browse id, field name and limit that public code merely *observed* lives here with a safe
 * default, never in client code. See config/qad-profiles/*.json.
 */

export const QAD_OBJECTS = ['customer', 'supplier', 'item', 'contact', 'salesOrder'] as const;
export type QadObjectName = (typeof QAD_OBJECTS)[number];
export type QadListObject = Exclude<QadObjectName, 'salesOrder'>;
export const QAD_LIST_OBJECTS: readonly QadListObject[] = ['customer', 'supplier', 'item', 'contact'];

const entityPath = z.string().superRefine((value, ctx) => {
  try {
    validateEntityPath(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** tenant field name -> canonical field name (CONTRACTS §5); several tenant fields may feed one canonical field. */
const fieldMap = z.record(z.string().min(1), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'needs at least one field');

const limits = z
  .object({
    concurrency: z.number().int().min(1).max(64).default(4),
    requestTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    maxRetries: z.number().int().min(0).max(10).default(3),
    retryBaseDelayMs: z.number().int().min(0).max(60_000).default(250),
  })
  .strict()
  .default({ concurrency: 4, requestTimeoutMs: 30_000, maxRetries: 3, retryBaseDelayMs: 250 });

const oauthAuth = z
  .object({
    mode: z.literal('oauth2-password'),
    tokenPath: entityPath.default('oauth/token'),
    transport: z.enum(['body', 'query']).default('body'),
    /** read clientId / sessionLength / timeoutMinutes with Basic auth where the user may */
    securityControlPath: entityPath.nullable().default('api/qracore/securityControl'),
    sessionMinutes: z.number().positive().default(60),
    idleMinutes: z.number().positive().default(20),
    renewMarginSeconds: z.number().int().min(0).default(60),
  })
  .strict();
const bearerAuth = z.object({ mode: z.literal('bearer') }).strict();
const basicAuth = z.object({ mode: z.literal('basic') }).strict();
const sessionContextAuth = z.object({ mode: z.literal('session-context') }).strict();

const workspaceHeader = z
  .object({
    transport: z.literal('header'),
    headerName: z.string().min(1).default('x-qad-workspace-id'),
    format: z.string().min(1).default('{domain}_{entity}'),
  })
  .strict();
const workspaceQuery = z
  .object({
    transport: z.literal('query'),
    domainParam: z.string().min(1).default('domainCode'),
    entityParam: z.string().min(1).nullable().default('entityCode'),
  })
  .strict();

const browse = z
  .object({
    browseId: z.string().min(1),
    path: entityPath.default('api/qracore/browses'),
    columns: fieldMap,
    pageSize: z.number().int().min(1).max(10_000).default(500),
    firstPageAction: z.string().min(1).default('first'),
    nextPageAction: z.string().min(1).default('next'),
    /** dotted browse column holding the last-modified date; null = content-hash change detection */
    modifiedDateColumn: z.string().min(1).nullable().default(null),
    watermarkOperator: z.enum(['gt', 'ge']).default('ge'),
    /** filters always sent, e.g. the shared set; `{domain}`, `{entity}`, `{sharedSet}` are substituted */
    scopeFilters: z.array(z.object({ column: z.string().min(1), op: z.enum(['eq', 'cn', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']), value: z.string() }).strict()).default([]),
    literalSuffix: z.boolean().default(true),
  })
  .strict();

const restObject = z
  .object({
    entityPath,
    viewUri: z.string().min(1),
    /** envelope key, e.g. customerV2s */
    plural: z.string().min(1),
    /** tenant key fields in the order they appear in a record URI */
    recordKeys: z.array(z.string().min(1)).min(1),
    uriKeySeparator: z.string().min(1).default('.'),
    fields: fieldMap,
    browse,
  })
  .strict();

const numbering = {
  numberPrefix: z.string().regex(/^[A-Z0-9]*$/, 'use upper-case letters and digits').default('SF'),
  /** so_nbr is x(8) in the classic schema */
  numberLength: z.number().int().min(4).max(20).default(8),
  defaultSite: z.string().min(1).nullable().default(null),
  /** tenant setup data every header needs (site, daybook set, empty child collections...) */
  headerDefaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown())])).default({}),
};

const restSalesOrder = z
  .object({
    strategy: z.literal('rest-line-flow'),
    headerPath: entityPath.default('api/erp/salesOrderHeaders'),
    viewUri: z.string().min(1).default('urn:be:com.qad.sales.salesorder.ISalesOrderHeader'),
    headerPlural: z.string().min(1).default('salesOrderHeaders'),
    headerKeys: z.array(z.string().min(1)).min(1).default(['domainCode', 'salesOrderNumber']),
    lineGridPath: entityPath.default('api/erp/salesOrderLinesGrid'),
    fieldChangePath: entityPath.default('api/erp/salesOrderLines/fieldChange'),
    linesPlural: z.string().min(1).default('salesOrderLines'),
    fieldChangeOperation: z.string().min(1).default('CREATE'),
    /** tenant line fields sent through fieldChange, in this order (each one a round trip) */
    fieldChangeOrder: z.array(z.string().min(1)).min(1),
    headerFields: fieldMap,
    lineFields: fieldMap,
    duplicateCodes: z.array(z.string()).default(['2041']),
    duplicateMessagePattern: z.string().default('already exists'),
    /** codes the line commit answers when the line number is taken */
    duplicateLineCodes: z.array(z.string()).default(['1210']),
    dateFormat: z.enum(['iso-midnight-utc', 'date']).default('iso-midnight-utc'),
    ...numbering,
  })
  .strict();

const qxtendQuery = z
  .object({
    /** body element of the query request, e.g. queryQryCustomer */
    qdoc: z.string().min(1),
    profile: z.string().min(1),
    table: z.string().min(1),
    keyColumn: z.string().min(1),
    rowElement: z.string().min(1),
    maxRows: z.number().int().min(1).max(10_000).default(500),
    modifiedDateColumn: z.string().min(1).nullable().default(null),
    modifiedDateField: z.string().min(1).nullable().default(null),
    scopeFilter: z.string().nullable().default(null),
  })
  .strict();

const qxtendObject = z
  .object({
    query: qxtendQuery,
    maintain: z
      .object({ qdoc: z.string().min(1), dataset: z.string().min(1), record: z.string().min(1) })
      .strict()
      .nullable()
      .default(null),
    fields: fieldMap,
  })
  .strict();

const qxtendSalesOrder = z
  .object({
    strategy: z.literal('qxtend-maintain'),
    qdoc: z.string().min(1).default('maintainSalesOrder'),
    dataset: z.string().min(1).default('dsSalesOrder'),
    record: z.string().min(1).default('salesOrder'),
    lineRecord: z.string().min(1).default('salesOrderDetail'),
    query: qxtendQuery,
    lineElement: z.string().min(1).default('salesOrderDetail'),
    dateFormat: z.enum(['iso-midnight-utc', 'date']).default('date'),
    headerFields: fieldMap,
    lineFields: fieldMap,
    ...numbering,
  })
  .strict();

const qxtendSettings = z
  .object({
    receiver: z.string().min(1),
    version: z.string().min(1),
    scopeTransaction: z.boolean().default(true),
    sourceApplication: z.string().min(1).default('ml-connector'),
    /** QXtend answers "warning" when it committed with remarks; public clients treat it as success */
    warningIsSuccess: z.boolean().default(true),
  })
  .strict();

const restProfile = z
  .object({
    name: z.string().min(1),
    flavour: z.enum(['adaptive-rest', 'webui-rest']),
    description: z.string().default(''),
    auth: z.discriminatedUnion('mode', [oauthAuth, bearerAuth, basicAuth]),
    workspace: z.discriminatedUnion('transport', [workspaceHeader, workspaceQuery]),
    /** OpenAPI JSON the tenant may serve; null = probe each entity path instead */
    apiDescriptionPath: entityPath.nullable().default(null),
    singleDomain: z.boolean().default(true),
    limits,
    objects: z
      .object({ customer: restObject, supplier: restObject, item: restObject, contact: restObject.optional(), salesOrder: restSalesOrder })
      .strict(),
  })
  .strict();

const qxtendProfile = z
  .object({
    name: z.string().min(1),
    flavour: z.literal('qxtend-soap'),
    description: z.string().default(''),
    auth: sessionContextAuth.default({ mode: 'session-context' }),
    qxtend: qxtendSettings,
    singleDomain: z.boolean().default(true),
    limits,
    objects: z
      .object({ customer: qxtendObject, supplier: qxtendObject, item: qxtendObject, contact: qxtendObject.optional(), salesOrder: qxtendSalesOrder })
      .strict(),
  })
  .strict();

export const qadProfileSchema = z.discriminatedUnion('flavour', [restProfile, qxtendProfile]);

export type QadProfile = z.infer<typeof qadProfileSchema>;
export type RestProfile = z.infer<typeof restProfile>;
export type QxtendProfile = z.infer<typeof qxtendProfile>;
export type RestObjectProfile = z.infer<typeof restObject>;
export type RestBrowseProfile = z.infer<typeof browse>;
export type RestSalesOrderProfile = z.infer<typeof restSalesOrder>;
export type QxtendObjectProfile = z.infer<typeof qxtendObject>;
export type QxtendQueryProfile = z.infer<typeof qxtendQuery>;
export type QxtendSalesOrderProfile = z.infer<typeof qxtendSalesOrder>;

const FIX_HINTS: Record<string, string> = {
  flavour: 'set "flavour" to adaptive-rest, webui-rest or qxtend-soap',
  mode: 'set auth.mode to oauth2-password, bearer or basic (qxtend-soap profiles use session-context)',
  transport: 'set it to one of the listed values',
  pageSize: 'use a whole number between 1 and 10000',
  maxRows: 'use a whole number between 1 and 10000',
  strategy: 'use rest-line-flow for REST profiles and qxtend-maintain for qxtend-soap profiles',
  columns: 'map each browse column (dotted name) to a canonical field name',
  fields: 'map each tenant field name to a canonical field name (see CONTRACTS §5)',
};

function jsonPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : `${acc}.${String(s)}`), '$');
}

/** Parses and freezes a profile; every problem is listed with its JSON path and what to change. */
export function parseQadProfile(input: unknown, source = 'profile'): QadProfile {
  const result = qadProfileSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const last = [...issue.path].reverse().find((s) => typeof s === 'string');
      const hint = (typeof last === 'string' && FIX_HINTS[last]) || 'correct this value (the shipped profiles in config/qad-profiles show valid examples)';
      const unknownKeys = issue.code === 'unrecognized_keys' ? ` (${(issue as { keys: string[] }).keys.join(', ')})` : '';
      return { path: jsonPath(issue.path), message: `${issue.message}${unknownKeys}. Fix: ${issue.code === 'unrecognized_keys' ? 'remove or rename the unknown key' : hint}` };
    });
    const text = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new QadConfigError('QAD_ERR_PROFILE_INVALID', `QAD profile ${source} is invalid: ${text}`, issues);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_PROFILE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../config/qad-profiles');

/** Loads `<dir>/<name>.json` (a bare name) or a file path, then validates it. */
export async function loadQadProfile(nameOrPath: string, dir: string = DEFAULT_PROFILE_DIR): Promise<QadProfile> {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : path.join(dir, `${nameOrPath}.json`);
  if (!nameOrPath.endsWith('.json') && !/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) {
    throw new QadConfigError('QAD_ERR_PROFILE_NOT_FOUND', `QAD profile name "${nameOrPath}" is not valid. Fix: use the file name without .json, e.g. adaptive-rest`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new QadConfigError('QAD_ERR_PROFILE_NOT_FOUND', `QAD profile ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: pick one of the files in config/qad-profiles or give a path to your own`, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new QadConfigError('QAD_ERR_PROFILE_INVALID', `QAD profile ${file} is not valid JSON (${(error as Error).message}). Fix: correct the JSON syntax`, [{ path: '$', message: (error as Error).message }]);
  }
  return parseQadProfile(json, file);
}

/** A copy of a profile with some settings replaced, e.g. a test forcing hash mode. */
export function withOverrides(profile: QadProfile, patch: (draft: QadProfile) => void): QadProfile {
  const draft = structuredClone(profile) as QadProfile;
  patch(draft);
  return parseQadProfile(draft, `${profile.name} (overridden)`);
}
