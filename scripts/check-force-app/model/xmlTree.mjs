// A small reader that turns one metadata XML file into a tree of elements with their line and
// column. fast-xml-parser (used elsewhere) forgets positions and trims text, and the element-schema
// check needs both: a problem must point at the element, and an enumeration value with a stray space
// is a different value. The xml check runs XMLValidator first, so this reader may assume
// well-formed input and only has to be exact about what it keeps.

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text) {
    return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name) => {
        if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
        if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
        return ENTITIES[name] ?? whole;
    });
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

function attributesOf(source) {
    const attributes = {};
    for (const match of source.matchAll(ATTRIBUTE)) {
        attributes[match[1]] = decode(match[3] ?? match[4]);
    }
    return attributes;
}

/**
 * @typedef {{name: string, attributes: Record<string, string>, children: XmlElement[], text: string,
 *            hasText: boolean, line: number, col: number}} XmlElement
 * `text` joins the element's own character data (children's text excluded); `hasText` is true when
 * any of it is not whitespace.
 */

/**
 * @param {string} source the file's text
 * @return {XmlElement|undefined} the root element, or undefined when the file holds none
 */
export function readXmlTree(source) {
    const lineStarts = [0];
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
    const positionOf = (offset) => {
        let low = 0;
        let high = lineStarts.length - 1;
        while (low < high) {
            const middle = (low + high + 1) >> 1;
            if (lineStarts[middle] <= offset) low = middle;
            else high = middle - 1;
        }
        return { line: low + 1, col: offset - lineStarts[low] + 1 };
    };

    const stack = [];
    let root;
    const appendText = (text) => {
        const current = stack[stack.length - 1];
        if (!current) return;
        current.text += text;
        if (/\S/.test(text)) current.hasText = true;
    };

    let offset = 0;
    while (offset < source.length) {
        const open = source.indexOf('<', offset);
        if (open < 0) {
            appendText(decode(source.slice(offset)));
            break;
        }
        if (open > offset) appendText(decode(source.slice(offset, open)));
        if (source.startsWith('<!--', open)) {
            offset = source.indexOf('-->', open) + 3;
        } else if (source.startsWith('<![CDATA[', open)) {
            const end = source.indexOf(']]>', open);
            appendText(source.slice(open + 9, end));
            offset = end + 3;
        } else if (source.startsWith('<?', open) || source.startsWith('<!', open)) {
            offset = source.indexOf('>', open) + 1;
        } else if (source[open + 1] === '/') {
            stack.pop();
            offset = source.indexOf('>', open) + 1;
        } else {
            const close = findTagEnd(source, open);
            const selfClosing = source[close - 1] === '/';
            const inner = source.slice(open + 1, selfClosing ? close - 1 : close);
            const nameEnd = inner.search(/[\s/]|$/);
            const element = {
                name: inner.slice(0, nameEnd),
                attributes: attributesOf(inner.slice(nameEnd)),
                children: [],
                text: '',
                hasText: false,
                ...positionOf(open)
            };
            if (stack.length === 0) root ??= element;
            else stack[stack.length - 1].children.push(element);
            if (!selfClosing) stack.push(element);
            offset = close + 1;
        }
    }
    return root;
}

// A '>' inside a quoted attribute value does not end the tag.
function findTagEnd(source, from) {
    let quote;
    for (let i = from + 1; i < source.length; i++) {
        const char = source[i];
        if (quote) {
            if (char === quote) quote = undefined;
        } else if (char === '"' || char === "'") {
            quote = char;
        } else if (char === '>') {
            return i;
        }
    }
    return source.length - 1;
}
