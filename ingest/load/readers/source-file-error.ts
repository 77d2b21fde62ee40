// A source that cannot be read at all (missing file, wrong header, unknown column,
// malformed file, unreachable database). Its message names the file or table and what
// was expected; the other entities still load.
export class SourceFileError extends Error {}
