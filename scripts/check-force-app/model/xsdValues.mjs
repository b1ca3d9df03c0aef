// Lexical rules of the XML Schema built-in types the Metadata WSDL uses (XML Schema Part 2). The
// deploy parses every value by its declared type, so "yes" in a boolean or "40 chars" in an int is
// refused there; checking the same rules here finds it offline.

const TIMEZONE = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const DATE = '-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?';

const INT_RANGES = {
    'xsd:int': [-(2n ** 31n), 2n ** 31n - 1n],
    'xsd:long': [-(2n ** 63n), 2n ** 63n - 1n]
};

function inRange(value, [low, high]) {
    if (!/^[+-]?\d+$/.test(value)) return false;
    const number = BigInt(value);
    return number >= low && number <= high;
}

// Every type but string collapses surrounding whitespace before it is parsed (the whiteSpace facet).
const RULES = {
    'xsd:string': () => true,
    'xsd:anyType': () => true,
    'xsd:boolean': (value) => /^(true|false|1|0)$/.test(value.trim()),
    'xsd:int': (value) => inRange(value.trim(), INT_RANGES['xsd:int']),
    'xsd:long': (value) => inRange(value.trim(), INT_RANGES['xsd:long']),
    'xsd:double': (value) => /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/.test(value.trim()),
    'xsd:date': (value) => new RegExp(`^${DATE}${TIMEZONE}$`).test(value.trim()),
    'xsd:dateTime': (value) => new RegExp(`^${DATE}T${TIME}${TIMEZONE}$`).test(value.trim()),
    'xsd:time': (value) => new RegExp(`^${TIME}${TIMEZONE}$`).test(value.trim()),
    'xsd:base64Binary': (value) => /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value) && value.replace(/\s/g, '').length % 4 === 0
};

/** @return {boolean} true when the type is an XML Schema built-in this module knows */
export function isBuiltIn(type) {
    return Object.hasOwn(RULES, type);
}

/**
 * @param {string} type qualified built-in name, such as 'xsd:int'
 * @param {string} value the element's text as written
 * @return {boolean} whether the value is a lexically valid value of the type
 */
export function isValidBuiltIn(type, value) {
    return RULES[type](value);
}
