// A lint rule of ours: no two files import each other, type-only imports included. import-x/no-cycle
// finds longer cycles but skips type-only imports (they vanish at run time); a pair of files that
// import each other, even for types, has code that belongs in a third file (decision 0007).
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';

const SOURCES = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** @param {{ resolve(source: string, file: string): { found: boolean; path?: string | null } }} resolver */
export function noMutualImport(resolver) {
  /** file → { mtimeMs, imports: Set<file> }: each file is read once per run while it is unchanged. */
  const cache = new Map();

  const resolveFrom = (source, file) => {
    if (!source.startsWith('.') && !source.startsWith('@modelpulse/')) return null;
    const resolved = resolver.resolve(source, file);
    return resolved.found && resolved.path && !resolved.path.includes('/node_modules/') ? resolved.path : null;
  };

  const importsOf = (file) => {
    let mtimeMs;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return new Set();
    }
    const known = cache.get(file);
    if (known && known.mtimeMs === mtimeMs) return known.imports;
    const imports = new Set();
    for (const [, source] of readFileSync(file, 'utf8').matchAll(SOURCES)) {
      const target = resolveFrom(source, file);
      if (target) imports.add(target);
    }
    cache.set(file, { mtimeMs, imports });
    return imports;
  };

  return {
    meta: {
      type: 'problem',
      docs: { description: 'Forbid two files that import each other, type-only imports included' },
      schema: [],
      messages: { mutual: '(f) {{target}} imports this file too: no two files import each other' },
    },
    create(context) {
      const file = context.filename;
      const check = (node) => {
        if (!node.source || typeof node.source.value !== 'string') return;
        const target = resolveFrom(node.source.value, file);
        if (target && target !== file && importsOf(target).has(file)) {
          context.report({
            node: node.source,
            messageId: 'mutual',
            data: { target: relative(context.cwd, target) },
          });
        }
      };
      return {
        ImportDeclaration: check,
        ExportNamedDeclaration: check,
        ExportAllDeclaration: check,
        ImportExpression: check,
      };
    },
  };
}
