// Parses Apex with @apexdevtools/apex-parser (the ANTLR grammar apex-ls uses) and extracts what the
// cross-reference check needs: top-level @AuraEnabled methods and the custom names the code uses.
import {
    ApexErrorListener,
    ApexLexer,
    ApexParserBaseListener,
    ApexParseTreeWalker,
    ApexParserFactory
} from '@apexdevtools/apex-parser';

class CollectingErrorListener extends ApexErrorListener {
    errors = [];

    apexSyntaxError(line, column, message) {
        this.errors.push({ line, col: column + 1, message });
    }
}

class MemberCollector extends ApexParserBaseListener {
    classStack = [];
    topLevelClass;
    /** method name -> its parameter names */
    auraEnabled = new Map();

    enterClassDeclaration = (ctx) => {
        const name = ctx.id().getText();
        if (this.classStack.length === 0) this.topLevelClass = name;
        this.classStack.push(name);
    };

    exitClassDeclaration = () => {
        this.classStack.pop();
    };

    enterClassBodyDeclaration = (ctx) => {
        const method = ctx.memberDeclaration()?.methodDeclaration();
        // Only methods of the outer class can be imported by an LWC.
        if (!method || this.classStack.length !== 1) return;
        const annotated = ctx
            .modifier_list()
            .some((modifier) => modifier.annotation()?.id().getText().toLowerCase() === 'auraenabled');
        if (annotated) {
            const parameters = method.formalParameters().formalParameterList()?.formalParameter_list() ?? [];
            this.auraEnabled.set(method.id().getText(), parameters.map((parameter) => parameter.id().getText()));
        }
    };
}

/**
 * @param {string} source Apex class or trigger text
 * @param {'class'|'trigger'} kind
 * @return {{errors: {line: number, col: number, message: string}[], className?: string, auraEnabled: Map<string, string[]>, tokens: object[]}}
 */
export function parseApex(source, kind) {
    const listener = new CollectingErrorListener();
    const { lexer, parser } = ApexParserFactory.createLexerAndParser(source, listener);
    const tree = kind === 'trigger' ? parser.triggerUnit() : parser.compilationUnit();
    const collector = new MemberCollector();
    if (listener.errors.length === 0 && kind === 'class') {
        ApexParseTreeWalker.DEFAULT.walk(collector, tree);
    }
    lexer.reset();
    const tokens = lexer.getAllTokens().filter((token) => token.channel === 0);
    return { errors: listener.errors, className: collector.topLevelClass, auraEnabled: collector.auraEnabled, tokens };
}

const CUSTOM_SUFFIX = /__(c|r|e|mdt)$/i;

/**
 * Every custom name the code mentions, with the object it is tied to where the code says so:
 * `Obj__c.Field__c` (qualified), or a field in the select/where list of a `[SELECT ... FROM Obj]`.
 * String literals holding one custom name (dynamic field names, allow-lists) are included too.
 *
 * @return {{name: string, object?: string, line: number, col: number}[]}
 */
export function customReferences(tokens) {
    const references = [];
    const queryObjects = soqlScopes(tokens);
    tokens.forEach((token, index) => {
        if (token.type === ApexLexer.StringLiteral) {
            const text = token.text.slice(1, -1);
            if (/^\w+$/.test(text) && CUSTOM_SUFFIX.test(text)) {
                references.push({ name: text, line: token.line, col: token.column + 1, fromString: true });
            }
            return;
        }
        if (token.type !== ApexLexer.Identifier || !CUSTOM_SUFFIX.test(token.text)) return;
        const previous = tokens[index - 1];
        const qualifier = previous?.type === ApexLexer.DOT ? tokens[index - 2] : undefined;
        const object = qualifier?.type === ApexLexer.Identifier ? qualifier.text : queryObjects.get(index);
        references.push({ name: token.text, object, line: token.line, col: token.column + 1 });
    });
    return references;
}

// Maps token index -> object of the inline SOQL query it sits in, for fields at the top level of
// that query (inside parentheses a sub-query or semi-join may name another object, so those
// fields are only checked to exist on some object).
function soqlScopes(tokens) {
    const scopes = new Map();
    for (let start = 0; start < tokens.length; start++) {
        if (tokens[start].type !== ApexLexer.LBRACK || tokens[start + 1]?.type !== ApexLexer.SELECT) continue;
        let depth = 1;
        let end = start + 1;
        let object;
        const topLevel = [];
        for (end = start + 1; end < tokens.length; end++) {
            const token = tokens[end];
            if (token.type === ApexLexer.LBRACK || token.type === ApexLexer.LPAREN) depth++;
            if (token.type === ApexLexer.RBRACK || token.type === ApexLexer.RPAREN) depth--;
            if (depth === 0) break;
            if (depth === 1 && token.type === ApexLexer.FROM && !object) object = tokens[end + 1]?.text;
            if (depth === 1 && token.type === ApexLexer.Identifier) topLevel.push(end);
        }
        if (object) {
            for (const index of topLevel) {
                if (tokens[index - 1]?.type !== ApexLexer.DOT && tokens[index - 1]?.type !== ApexLexer.COLON) {
                    scopes.set(index, object);
                }
            }
        }
        start = end;
    }
    return scopes;
}
