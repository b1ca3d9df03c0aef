import type { z } from 'zod';

/**
 * Turns zod issues into lines a person can act on: the JSON path in the file, what is wrong, and
 * the fix. Schema messages that already carry a "Fix:" are kept as written; for the generic issue
 * kinds a fix is derived here, including a did-you-mean for misspelt keys.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text === '' ? '(top level)' : text;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part as string];
  }
  return current;
}

/** Best-effort walk of a zod 4 schema to the object at `path`, to list the keys it allows. */
function allowedKeysAt(schema: z.ZodType, root: unknown, path: ReadonlyArray<PropertyKey>): string[] {
  let current: unknown = schema;
  const unwrap = (node: unknown): unknown => {
    for (let depth = 0; depth < 10; depth += 1) {
      const def = (node as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
      if (!def) return node;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'prefault') node = def.innerType;
      else if (def.type === 'pipe') node = def.in;
      else return node;
    }
    return node;
  };
  const pickUnionMember = (node: unknown, value: unknown): unknown => {
    const def = (node as { _zod: { def: Record<string, unknown> } })._zod.def;
    const options = (def.options as unknown[]) ?? [];
    const discriminator = def.discriminator as string | undefined;
    if (discriminator && value && typeof value === 'object') {
      const wanted = (value as Record<string, unknown>)[discriminator];
      const match = options.find((option) => {
        const shape = (unwrap(option) as { _zod: { def: { shape?: Record<string, { _zod: { def: { values?: unknown[] } } }> } } })._zod.def.shape;
        return shape?.[discriminator]?._zod.def.values?.includes(wanted);
      });
      if (match) return match;
    }
    return options[0];
  };
  for (let index = 0; index <= path.length; index += 1) {
    current = unwrap(current);
    const def = (current as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return [];
    if (def.type === 'union') {
      current = unwrap(pickUnionMember(current, valueAt(root, path.slice(0, index))));
    }
    if (index === path.length) break;
    const node = (current as { _zod: { def: Record<string, unknown> } })._zod.def;
    const part = path[index];
    if (node.type === 'object') current = (node.shape as Record<string, unknown>)[part as string];
    else if (node.type === 'array') current = node.element;
    else if (node.type === 'record') current = node.valueType;
    else return [];
  }
  const shape = (unwrap(current) as { _zod?: { def?: { shape?: Record<string, unknown> } } })?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

export function formatZodProblems(error: z.ZodError, input: unknown, schema: z.ZodType): string[] {
  return formatIssues(error.issues, input, schema);
}

function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, schema: z.ZodType): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const where = formatPath(issue.path);
    const given = valueAt(input, issue.path);
    if (issue.code === 'invalid_type' && given === undefined) {
      const hint = issue.message.includes('Fix:') ? ` (${issue.message.replace(/\. Fix: /, '; ')})` : ` (${issue.expected})`;
      problems.push(`${where}: is required. Fix: add "${String(issue.path.at(-1) ?? where)}"${hint}`);
      continue;
    }
    if (issue.message.includes('Fix:') && issue.code !== 'invalid_union') {
      problems.push(`${where}: ${issue.message}`);
      continue;
    }
    switch (issue.code) {
      case 'invalid_type': {
        if (given === undefined) problems.push(`${where}: is required. Fix: add "${String(issue.path.at(-1) ?? where)}" (${issue.expected})`);
        else problems.push(`${where}: expected ${issue.expected}, got ${describeValue(given)}. Fix: set it to a ${issue.expected}`);
        break;
      }
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, input, issue.path);
        for (const key of issue.keys) {
          const suggestion = closest(key, allowed);
          const fix = suggestion ? `rename it to "${suggestion}"` : allowed.length > 0 ? `remove it (allowed here: ${allowed.join(', ')})` : 'remove it';
          problems.push(`${formatPath([...issue.path, key])}: unknown key. Fix: ${fix}`);
        }
        break;
      }
      case 'invalid_value':
        problems.push(`${where}: ${describeValue(given)} is not allowed. Fix: use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'invalid_union': {
        // When one accepted shape is nearly met, its own complaints are more useful than "matches
        // none": report the branch with the fewest issues if it has only one or two.
        const branches = (issue.errors ?? []).filter((branch) => branch.length > 0);
        const nearest = branches.reduce<z.core.$ZodIssue[] | undefined>((best, branch) => (!best || branch.length < best.length ? branch : best), undefined);
        if (nearest && nearest.length <= 2) {
          const nested = nearest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
          problems.push(...formatIssues(nested as z.core.$ZodIssue[], input, schema));
        } else {
          problems.push(issue.message.includes('Fix:') ? `${where}: ${issue.message}` : `${where}: ${describeValue(given)} matches none of the accepted shapes. Fix: ${issue.message}`);
        }
        break;
      }
      case 'too_small':
        problems.push(`${where}: ${issue.message}. Fix: use a value of at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : ''}`);
        break;
      case 'too_big':
        problems.push(`${where}: ${issue.message}. Fix: use a value of at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : ''}`);
        break;
      default:
        problems.push(`${where}: ${issue.message}`);
    }
  }
  return problems;
}
