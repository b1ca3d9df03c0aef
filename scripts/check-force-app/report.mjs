// One shape for every finding, so the CLI prints them alike and tests can match on them.

/**
 * @param {string} file project-relative path
 * @param {number|undefined} line 1-based
 * @param {number|undefined} col 1-based
 * @param {string} message what is wrong and, where it helps, how to fix it
 */
export function problem(file, line, col, message) {
    return { file, line, col, message };
}

export function formatProblem({ file, line, col, message }) {
    const where = [file, line, line !== undefined ? col : undefined].filter((part) => part !== undefined).join(':');
    return `${where} ${message}`;
}

/**
 * @param {string} id short name of the check
 * @param {string} title what the check verifies
 * @param {string} found one line saying what was examined, with counts
 * @param {ReturnType<typeof problem>[]} problems
 */
export function result(id, title, found, problems) {
    return { id, title, found, problems, ok: problems.length === 0 };
}
