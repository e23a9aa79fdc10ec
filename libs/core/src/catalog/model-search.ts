/**
 * Catalogue search: every word of `q` must start a word of the model's id,
 * name, tags or description (PostgreSQL full-text search on the `simple`
 * configuration, so no stemming and no stop words), and the best matches come
 * first. Decision 0027 says why full-text search and not pg_trgm.
 *
 * Ids are split into words at ASCII spaces and punctuation, in the document
 * (the `model_search_document` SQL function of the SearchIndex migration) and
 * here alike: `deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B` reads as
 * `deepseek ai deepseek r1 distill qwen 1 5b`, so `distill`, `r1` or `qwen`
 * find it, and `dist` too, as every word is a prefix. The class is spelled
 * out rather than `[:alnum:]` or `\p{L}`, whose meaning depends on the
 * database's locale (under the embedded server's C locale `[:alnum:]` has no
 * `ü`): letters of other scripts stay inside their words on both sides, and
 * PostgreSQL lower-cases the words of q and of the document with the same rules.
 */

/** ASCII whitespace and punctuation, as a regular expression class both JavaScript and PostgreSQL read alike. */
export const WORD_BREAKS = '[\\t\\n\\v\\f\\r !-/:-@\\[-`{-~]+';

/** The most words one search takes; a longer `q` is a 400 rather than a slow query. */
export const MAX_SEARCH_WORDS = 16;

const WORD_BREAK = new RegExp(WORD_BREAKS, 'u');

/** The words of a search in the order given (repeats kept: they matter for an exact match). */
export function searchWords(q: string): string[] {
  return q.split(WORD_BREAK).filter((word) => word.length > 0);
}

/**
 * The `to_tsquery` text that asks for every word as a prefix. Every tsquery
 * operator (`& | ! ( ) : * ' \\ < >`) is ASCII punctuation, a word break, so
 * no word can carry tsquery syntax.
 */
export function prefixQuery(words: readonly string[]): string {
  return words.map((word) => `${word}:*`).join(' & ');
}

/** What a search adds to the list's SQL: a condition, and the relevance to sort by. */
export interface SearchSql {
  condition: string;
  /**
   * A double precision in [0, 2): 1 for an id or name that is exactly the
   * words asked, plus the text rank in [0, 1). A function, as it binds a value
   * of its own: PostgreSQL refuses a bound value that the SQL never uses.
   */
  relevance: () => string;
}

/** The document indexed by `models_search_idx`: the expression must stay the index's, word for word. */
const DOCUMENT = 'model_search_document(m.slug, m.name, m.description, m.tags)';

/** The id or name as words, to compare with the words asked. */
const asWords = (column: string) => `lower(btrim(regexp_replace(${column}, '${WORD_BREAKS}', ' ', 'g')))`;

/**
 * The search's SQL, with its values bound through `param`. A `q` that is
 * only spaces and punctuation (`%`, `-`) has no word, so it matches nothing.
 */
export function searchSql(q: string, param: (value: unknown) => string): SearchSql {
  const words = searchWords(q);
  if (words.length === 0) return { condition: 'false', relevance: () => '0::double precision' };
  const query = `to_tsquery('simple', ${param(prefixQuery(words))}::text)`;
  return {
    condition: `${DOCUMENT} @@ ${query}`,
    relevance: () => {
      const phrase = `lower(${param(words.join(' '))}::text)`;
      // ts_rank's normalization 32 maps the rank into [0, 1), so the exact-match bonus of 1 always comes first.
      return (
        `((CASE WHEN ${asWords('m.slug')} = ${phrase} OR ${asWords('m.name')} = ${phrase} THEN 1 ELSE 0 END)` +
        ` + ts_rank(${DOCUMENT}, ${query}, 32))::double precision`
      );
    },
  };
}
