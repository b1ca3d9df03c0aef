// Finds how an LWC calls each imported Apex method, `@wire(method, { a: ... })` or
// `method({ a, b: ... })`, and returns the argument names it passes. Apex binds arguments by name,
// so a key that is not a parameter is silently dropped at run time: the check reports it instead.
const DEFAULT_APEX_IMPORT = /import\s+(\w+)\s+from\s+['"]@salesforce\/apex\/(\w+)\.(\w+)['"]/g;

/** @return {string[]} top-level keys of the object literal starting at text[open] === '{' */
function objectKeys(text, open) {
    const keys = [];
    let depth = 0;
    let expectKey = true;
    for (let at = open; at < text.length; at++) {
        const char = text[at];
        if ('{[('.includes(char)) {
            depth++;
            if (depth === 1) expectKey = true;
            continue;
        }
        if ('}])'.includes(char)) {
            depth--;
            if (depth === 0) return keys;
            continue;
        }
        if (depth !== 1) continue;
        if (char === ',') {
            expectKey = true;
        } else if (expectKey && /[A-Za-z_$]/.test(char)) {
            const name = /^[\w$]+/.exec(text.slice(at))[0];
            keys.push(name);
            expectKey = false;
            at += name.length - 1;
        } else if (char === ':' || char === "'" || char === '"') {
            expectKey = false;
        }
    }
    return keys;
}

/**
 * @return {{className: string, method: string, keys: string[], offset: number}[]}
 */
export function apexCallSites(text) {
    const sites = [];
    for (const imported of text.matchAll(DEFAULT_APEX_IMPORT)) {
        const [, local, className, method] = imported;
        const call = new RegExp(`(?:@wire\\(\\s*${local}\\s*,|(?<![\\w.])${local}\\s*\\()\\s*\\{`, 'g');
        for (const match of text.matchAll(call)) {
            if (match.index < imported.index + imported[0].length && match.index >= imported.index) continue;
            const open = match.index + match[0].length - 1;
            sites.push({ className, method, keys: objectKeys(text, open), offset: match.index });
        }
    }
    return sites;
}
