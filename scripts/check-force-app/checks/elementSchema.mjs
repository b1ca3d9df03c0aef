// Every element of every metadata file, validated against the Metadata API's type definitions
// (model/metadata.wsdl): the element is declared by its parent's type, stands in the order the
// type's sequence gives, appears no more often than allowed, required elements are present, and
// its value parses as its declared type (an enumeration, a boolean, an int...). SDR and the sf CLI
// convert a file with <startingNumber> at the root of a CustomObject without a word
// (facts/tooling.md); the deploy and `sf package version create` refuse it.
import { readFile } from 'node:fs/promises';
import { isTestOnly } from '../project.mjs';
import { problem, result } from '../report.mjs';
import { loadMetadataSchema, MetadataSchema } from '../model/metadataSchema.mjs';
import { readXmlTree } from '../model/xmlTree.mjs';
import { isBuiltIn, isValidBuiltIn } from '../model/xsdValues.mjs';
import { AI, TARGET_CONFIGS } from '../model/lwcTargetConfigs.mjs';

const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';
const XSI = 'xsi:';

// base64Binary in the WSDL, XML in source format: validated by a model of the documented tags instead.
const SOURCE_FORMAT_XML = {
    'LightningComponentBundle.targetConfigs': TARGET_CONFIGS,
    'LightningComponentBundle.ai': AI
};

const MAX_LISTED_VALUES = 12;

function describeValues(values) {
    const list = [...values];
    const shown = list.slice(0, MAX_LISTED_VALUES).join(', ');
    return list.length > MAX_LISTED_VALUES ? `${shown}, ... (${list.length} values)` : shown;
}

class FileValidator {
    constructor(schema, file) {
        this.schema = schema;
        this.file = file;
        this.problems = [];
        this.elements = 0;
    }

    report(element, message) {
        this.problems.push(problem(this.file, element.line, element.col, message));
    }

    validateRoot(root) {
        this.elements++;
        const typeName = root.name;
        if (!this.schema.isMetadataType(typeName)) {
            this.report(root, `<${typeName}> is not a Metadata API type (Metadata API ${this.schema.version}); the root element names the file's metadata type, such as <CustomObject>`);
            return;
        }
        if (root.attributes.xmlns !== METADATA_NAMESPACE) {
            this.report(root, `<${typeName}> must declare xmlns="${METADATA_NAMESPACE}"`);
        }
        this.validateAttributes(root, { name: typeName, type: `tns:${typeName}`, nillable: false }, typeName, true);
        this.validateComplexContent(root, `tns:${typeName}`, typeName);
    }

    validateAttributes(element, definition, where, isRoot = false) {
        for (const attribute of Object.keys(element.attributes)) {
            if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) {
                if (!isRoot) this.report(element, `<${element.name}> in ${where} redeclares a namespace (${attribute}); declare namespaces on the root element only`);
            } else if (attribute === `${XSI}type` && definition.type === 'xsd:anyType') {
                continue;
            } else if (attribute === `${XSI}nil` && definition.nillable) {
                continue;
            } else {
                this.report(element, `attribute ${attribute} is not allowed on <${element.name}> in ${where}`);
            }
        }
    }

    validateElement(element, definition, where) {
        this.elements++;
        this.validateAttributes(element, definition, where);
        if (element.attributes[`${XSI}nil`] === 'true') {
            if (element.children.length > 0 || element.hasText) {
                this.report(element, `<${element.name}> in ${where} is xsi:nil="true" but has content`);
            }
            return;
        }
        let type = definition.type;
        if (type === 'xsd:anyType' && element.attributes[`${XSI}type`]) {
            type = element.attributes[`${XSI}type`];
            if (!isBuiltIn(type)) {
                this.report(element, `<${element.name}> in ${where} has xsi:type="${type}", which is not an XML Schema type the Metadata API takes (such as xsd:string, xsd:double, xsd:boolean)`);
                return;
            }
        }
        const sourceFormat = SOURCE_FORMAT_XML[`${where}.${element.name}`];
        if (sourceFormat) {
            this.validateTag(element, sourceFormat, where);
        } else if (this.schema.complexType(type)) {
            if (element.hasText) {
                this.report(element, `<${element.name}> in ${where} holds text, but its type ${MetadataSchema.local(type)} takes child elements`);
            }
            this.validateComplexContent(element, type, `${where}.${element.name}`);
        } else if (element.children.length > 0) {
            this.report(element, `<${element.name}> in ${where} holds child elements, but its value is ${MetadataSchema.local(type)}`);
        } else {
            this.validateValue(element, type, where);
        }
    }

    validateValue(element, type, where) {
        const value = element.text;
        if (type === 'xsd:anyType') return;
        if (isBuiltIn(type)) {
            if (!isValidBuiltIn(type, value)) {
                this.report(element, `<${element.name}> in ${where} is "${value}", which is not a valid ${type}`);
            }
            return;
        }
        const simple = this.schema.simpleType(type);
        if (!simple) {
            this.report(element, `<${element.name}> in ${where} has type ${type}, which the WSDL does not define`);
            return;
        }
        if (simple.enumerations && !simple.enumerations.has(value)) {
            const near = [...simple.enumerations].find((allowed) => allowed.toLowerCase() === value.trim().toLowerCase());
            const hint = near ? `did you mean ${near}?` : `allowed: ${describeValues(simple.enumerations)}`;
            this.report(element, `<${element.name}> in ${where} is "${value}", which is not a ${simple.name} value; ${hint}`);
        } else if ((simple.pattern && !simple.pattern.test(value)) || (simple.length !== undefined && value.length !== simple.length)) {
            this.report(element, `<${element.name}> in ${where} is "${value}", which is not a valid ${simple.name}`);
        } else if (isBuiltIn(simple.base) && !isValidBuiltIn(simple.base, value)) {
            this.report(element, `<${element.name}> in ${where} is "${value}", which is not a valid ${simple.base}`);
        }
    }

    validateComplexContent(element, type, where) {
        const sequence = this.schema.sequenceOf(type);
        const positions = new Map(sequence.map((definition, position) => [definition.name, position]));
        const counts = new Map();
        let furthest = -1;
        let furthestName;
        for (const child of element.children) {
            const position = positions.get(child.name);
            if (position === undefined) {
                this.elements++;
                this.reportUndeclared(child, type, where);
                continue;
            }
            const definition = sequence[position];
            counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
            if (counts.get(child.name) === definition.max + 1) {
                this.report(child, `<${child.name}> appears more than ${definition.max === 1 ? 'once' : `${definition.max} times`} in ${where}`);
            }
            if (position < furthest) {
                this.report(child, `<${child.name}> is out of order in ${where}: the Metadata API sequence puts it before <${furthestName}>`);
            } else {
                furthest = position;
                furthestName = child.name;
            }
            this.validateElement(child, definition, where);
        }
        for (const definition of sequence) {
            if (definition.min > 0 && !counts.has(definition.name)) {
                this.report(element, `${where} requires <${definition.name}> (${MetadataSchema.local(definition.type)}), which is missing`);
            }
        }
    }

    /** @return {string} the path, with its type named when the path does not end in it */
    typed(where, type) {
        const local = MetadataSchema.local(type);
        return where === local ? where : `${where} (${local})`;
    }

    reportUndeclared(child, type, where) {
        const rootType = where.split('.')[0];
        const here = where.split('.').slice(1).join('.');
        const places = this.schema
            .placesOf(rootType, child.name)
            .map((place) => place.path.join('.'))
            .filter((place) => place !== here);
        if (places.length > 0) {
            const at = places.map((place) => (place === '' ? `directly in ${rootType}` : `in ${rootType}.${place}`)).join(' or ');
            this.report(child, `<${child.name}> is not allowed in ${this.typed(where, type)}; it belongs ${at}`);
        } else {
            this.report(child, `<${child.name}> is not an element of ${this.typed(where, type)} or of any type below ${rootType} in Metadata API ${this.schema.version}`);
        }
    }

    validateTag(element, model, where) {
        const here = `${where}.${element.name}`;
        for (const attribute of Object.keys(element.attributes)) {
            if (!(model.attributes ?? []).includes(attribute)) {
                this.report(element, `attribute ${attribute} is not allowed on <${element.name}> in ${where}`);
            }
        }
        for (const attribute of model.required ?? []) {
            if (!Object.hasOwn(element.attributes, attribute)) {
                this.report(element, `<${element.name}> in ${where} requires the attribute ${attribute}`);
            }
        }
        if (model.opaque) return;
        if (model.values && !model.values.includes(element.text.trim())) {
            this.report(element, `<${element.name}> in ${where} is "${element.text}"; allowed: ${model.values.join(', ')}`);
        }
        for (const child of element.children) {
            this.elements++;
            const childModel = model.children?.[child.name];
            if (childModel) {
                this.validateTag(child, childModel, here);
            } else {
                this.report(child, `<${child.name}> is not allowed in ${here}; allowed: ${Object.keys(model.children ?? {}).join(', ') || 'no child elements'}`);
            }
        }
    }
}

export async function checkElementSchema(project) {
    const schema = await loadMetadataSchema();
    const files = project.files.filter((file) => file.endsWith('-meta.xml') && !isTestOnly(file));
    const problems = [];
    let elements = 0;
    for (const file of files) {
        const root = readXmlTree(await readFile(file, 'utf8'));
        if (!root) continue; // the xml check reports a file without a root element
        const validator = new FileValidator(schema, project.relative(file));
        validator.validateRoot(root);
        problems.push(...validator.problems);
        elements += validator.elements;
    }
    return result(
        'element-schema',
        `every metadata element is valid for Metadata API ${schema.version} (names, nesting, order, value types)`,
        `${files.length} metadata files, ${elements} elements checked against ${schema.complexTypes.size} complex and ${schema.simpleTypes.size} simple types of the Metadata WSDL`,
        problems
    );
}
