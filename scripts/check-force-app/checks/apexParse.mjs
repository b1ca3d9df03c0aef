// A syntax error in Apex is otherwise found only at deploy time: sf and SDR pass it through.
import { problem, result } from '../report.mjs';

// ANTLR lists every token it would have accepted; the first few say enough.
function shorten(message) {
    return message.replace(/expecting \{([^}]*)\}/, (all, list) => {
        const options = list.split(', ');
        return options.length <= 6 ? all : `expecting one of ${options.slice(0, 6).join(', ')}, ... (${options.length} options)`;
    });
}

export async function checkApexParses(context) {
    const parsed = await context.apex();
    const problems = [];
    let classes = 0;
    let triggers = 0;
    for (const [file, { errors }] of parsed) {
        if (file.endsWith('.trigger')) triggers++;
        else classes++;
        for (const error of errors) {
            problems.push(problem(context.project.relative(file), error.line, error.col, `Apex syntax error: ${shorten(error.message)}`));
        }
    }
    return result('apex-parse', 'every Apex class and trigger parses', `${classes} classes, ${triggers} triggers parsed`, problems);
}
