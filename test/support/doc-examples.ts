/**
 * The `curl` examples of the README and docs/*.md, with the answers printed
 * under them, read from the Markdown the way a reader sees them:
 *
 * - in a fenced block, a line starting `curl` (or `$ curl`), continued by
 *   trailing backslashes; a `| grep …` after it is left to the comparison;
 * - its answer: a `#` comment on the same line or the `#` lines right under it
 *   (`# → ` or `# ` before the text), or, after `$ curl`, every line up to the
 *   next `$` (a status line, headers, a blank line, a body).
 */
export interface DocExample {
  file: string;
  /** 1-based line of the `curl`. */
  line: number;
  command: string;
  /** What the docs print as its answer; empty when they print none. */
  answer: string[];
}

export interface CurlRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** `-i`: the answer shown includes the status line and headers. */
  withHeaders: boolean;
  /** The header a `| grep -i '^name'` keeps, when there is one. */
  grepHeader: string | null;
}

const FENCE = /^\s*```/;

export function extractExamples(file: string, markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    if (FENCE.test(lines[i])) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    const start = /^(\$ )?curl /.exec(lines[i]);
    if (!start) continue;
    const prompt = start[1] !== undefined;
    const line = i + 1;
    let command = lines[i].replace(/^\$ /, '');
    // A backslash continues the command, and so does a quote left open (a JSON body over several lines).
    while ((command.endsWith('\\') || openQuote(command)) && i + 1 < lines.length) {
      command = command.endsWith('\\') ? `${command.slice(0, -1)} ${lines[++i].trim()}` : `${command}\n${lines[++i]}`;
    }
    const answer: string[] = [];
    const inline = splitComment(command);
    command = inline.command;
    if (inline.comment) answer.push(inline.comment);
    if (prompt) {
      while (i + 1 < lines.length && !FENCE.test(lines[i + 1]) && !lines[i + 1].startsWith('$ ')) {
        answer.push(lines[++i]);
      }
      while (answer.length > 0 && answer.at(-1)!.trim() === '') answer.pop();
    } else {
      while (i + 1 < lines.length && /^#( |$)/.test(lines[i + 1]) && !isCaption(lines[i + 1], lines[i + 2])) {
        answer.push(lines[++i].replace(/^# ?(→ )?/, ''));
      }
    }
    examples.push({ file, line, command: command.trim(), answer });
  }
  return examples;
}

/** Whether a single or double quote is still open at the end of the text. */
function openQuote(text: string): boolean {
  let quote: string | null = null;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
  }
  return quote !== null;
}

/**
 * A `#` line that introduces the next command rather than answering this
 * one: a sentence (capitalised) right above a `curl`. An answer starts with
 * `→`, JSON, a header name or a lower-case note.
 */
function isCaption(line: string, next: string | undefined): boolean {
  return /^# [A-Z]/.test(line) && next !== undefined && /^curl /.test(next);
}

/** A command and its trailing `# comment`, the `#` outside any quotes. */
function splitComment(command: string): { command: string; comment: string | null } {
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && /\s/.test(command[i - 1] ?? ' ')) {
      return { command: command.slice(0, i).trimEnd(), comment: command.slice(i + 1).trim() };
    }
  }
  return { command, comment: null };
}

/** Splits a shell command into words: single and double quotes, `$VAR` expanded from `env`. */
export function shellWords(command: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  const expand = (text: string) => text.replace(/\$([A-Z_][A-Z0-9_]*)/g, (_, name: string) => env[name] ?? '');
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
    if (c === '"' && quote === null && word !== null) word = expand(word);
  }
  if (word !== null) words.push(word);
  return words.map((w) => expand(w));
}

export function parseCurl(command: string, env: Record<string, string>): CurlRequest {
  const [curlPart, grepPart] = command.split(/\s\|\s/);
  const words = shellWords(curlPart, env);
  const request: CurlRequest = {
    method: 'GET',
    path: '',
    headers: {},
    body: null,
    withHeaders: false,
    grepHeader: null,
  };
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-X') request.method = words[++i];
    else if (w === '-H') {
      const [name, ...value] = words[++i].split(':');
      request.headers[name.trim()] = value.join(':').trim();
    } else if (w === '-d') {
      request.body = words[++i];
      if (request.method === 'GET') request.method = 'POST';
    } else if (/^-[si]+$/.test(w)) request.withHeaders ||= w.includes('i');
    else if (!w.startsWith('-')) request.path = w.replace(/^(https?:\/\/)?localhost:3000/, '') || '/';
    else throw new Error(`curl option ${w} is not understood by the examples test`);
  }
  if (grepPart) {
    const header = /grep -i '\^([a-z-]+)'/.exec(grepPart);
    if (!header) throw new Error(`pipe "${grepPart}" is not understood by the examples test`);
    request.grepHeader = header[1];
  }
  return request;
}
