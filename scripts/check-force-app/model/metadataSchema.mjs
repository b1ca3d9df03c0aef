// The Metadata API's type definitions, read from Salesforce's published Metadata WSDL
// (model/metadata.wsdl; where it comes from and how to update it: model/metadata-wsdl.md). The WSDL
// is the contract the deploy itself checks against, so the element-schema check asks it, and not a
// hand-written list, which element may stand where and what its value may be.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

export const METADATA_WSDL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'metadata.wsdl');

/**
 * @typedef {{name: string, type: string, min: number, max: number, nillable: boolean}} ElementDef
 *   type is qualified: 'xsd:string', 'tns:CustomField', ...
 * @typedef {{name: string, base?: string, own: ElementDef[]}} ComplexTypeDef
 * @typedef {{name: string, base: string, enumerations?: Set<string>, pattern?: RegExp, length?: number}} SimpleTypeDef
 */

const wsdlParser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    isArray: (name) => ['xsd:complexType', 'xsd:simpleType', 'xsd:element', 'xsd:enumeration'].includes(name)
});

const occurs = (value, fallback) => (value === undefined ? fallback : value === 'unbounded' ? Infinity : Number(value));

function elementDefs(sequence) {
    return (sequence?.['xsd:element'] ?? []).map((element) => ({
        name: element.name,
        type: element.type,
        min: occurs(element.minOccurs, 1),
        max: occurs(element.maxOccurs, 1),
        nillable: element.nillable === 'true'
    }));
}

/**
 * Builds the schema from WSDL text.
 * @param {string} wsdl the WSDL's text
 * @return {MetadataSchema}
 */
export function parseMetadataWsdl(wsdl) {
    const version = /Metadata API version ([0-9.]+)/.exec(wsdl)?.[1] ?? 'unknown';
    const schema = wsdlParser.parse(wsdl).definitions?.types?.['xsd:schema'];
    if (!schema) throw new Error('the WSDL has no <types><xsd:schema>; is model/metadata.wsdl the Metadata API WSDL?');
    const complexTypes = new Map();
    for (const type of schema['xsd:complexType'] ?? []) {
        const extension = type['xsd:complexContent']?.['xsd:extension'];
        complexTypes.set(type.name, {
            name: type.name,
            base: extension?.base,
            own: elementDefs(extension ? extension['xsd:sequence'] : type['xsd:sequence'])
        });
    }
    const simpleTypes = new Map();
    for (const type of schema['xsd:simpleType'] ?? []) {
        const restriction = type['xsd:restriction'] ?? {};
        const enumerations = restriction['xsd:enumeration'];
        simpleTypes.set(type.name, {
            name: type.name,
            base: restriction.base,
            enumerations: enumerations ? new Set(enumerations.map((entry) => entry.value)) : undefined,
            pattern: restriction['xsd:pattern'] ? new RegExp(`^(?:${restriction['xsd:pattern'].value})$`) : undefined,
            length: restriction['xsd:length'] ? Number(restriction['xsd:length'].value) : undefined
        });
    }
    return new MetadataSchema(version, complexTypes, simpleTypes);
}

export class MetadataSchema {
    /**
     * @param {string} version API version named in the WSDL's header
     * @param {Map<string, ComplexTypeDef>} complexTypes by unqualified name
     * @param {Map<string, SimpleTypeDef>} simpleTypes by unqualified name
     */
    constructor(version, complexTypes, simpleTypes) {
        this.version = version;
        this.complexTypes = complexTypes;
        this.simpleTypes = simpleTypes;
        this.sequences = new Map();
    }

    /** @return {string} a type name without its tns: prefix (xsd: names are kept) */
    static local(qualified) {
        return qualified.startsWith('tns:') ? qualified.slice(4) : qualified;
    }

    /** @return {ComplexTypeDef|undefined} */
    complexType(qualified) {
        return this.complexTypes.get(MetadataSchema.local(qualified));
    }

    /** @return {SimpleTypeDef|undefined} */
    simpleType(qualified) {
        return this.simpleTypes.get(MetadataSchema.local(qualified));
    }

    /**
     * The full sequence of a complex type: an extension's elements come after its base's, as XML
     * Schema orders them.
     * @return {ElementDef[]}
     */
    sequenceOf(qualified) {
        const name = MetadataSchema.local(qualified);
        if (!this.sequences.has(name)) {
            const type = this.complexTypes.get(name);
            const inherited = type?.base ? this.sequenceOf(type.base) : [];
            this.sequences.set(name, [...inherited, ...(type?.own ?? [])]);
        }
        return this.sequences.get(name);
    }

    /** @return {boolean} true for a type that derives from Metadata, i.e. one a file's root may name */
    isMetadataType(qualified) {
        let type = this.complexType(qualified);
        while (type?.base) {
            if (MetadataSchema.local(type.base) === 'Metadata') return true;
            type = this.complexType(type.base);
        }
        return false;
    }

    /**
     * Where an element of this name may stand below a complex type: breadth-first over the type's
     * element tree, nearest first, so a misplaced element can be pointed at its right place.
     * @param {string} rootType type to search from
     * @param {string} elementName element to look for
     * @param {number} [maxDepth] levels to descend
     * @return {{path: string[], parentType: string}[]} each path is the element names from rootType down to the parent
     */
    placesOf(rootType, elementName, maxDepth = 4) {
        const found = [];
        // A type reached at an earlier depth is not expanded again, but two paths that reach the
        // same type at the same depth are both kept (CustomObject.fields and .nameField are both
        // CustomField), so every nearest place is named.
        const expanded = new Set();
        let frontier = [{ type: MetadataSchema.local(rootType), path: [] }];
        for (let depth = 0; depth <= maxDepth && frontier.length > 0 && found.length === 0; depth++) {
            for (const { type } of frontier) expanded.add(type);
            const next = [];
            for (const { type, path: trail } of frontier) {
                for (const element of this.sequenceOf(type)) {
                    if (element.name === elementName) found.push({ path: trail, parentType: type });
                    const child = MetadataSchema.local(element.type);
                    if (this.complexTypes.has(child) && !expanded.has(child)) {
                        next.push({ type: child, path: [...trail, element.name] });
                    }
                }
            }
            frontier = next;
        }
        return found;
    }
}

let loaded;

/**
 * The schema of model/metadata.wsdl, parsed once per process (the file is 2 MB and every checker
 * test run would otherwise parse it again).
 * @return {Promise<MetadataSchema>}
 */
export function loadMetadataSchema() {
    loaded ??= readFile(METADATA_WSDL, 'utf8').then(parseMetadataWsdl);
    return loaded;
}
