// "a" or "an" as the word after it is spoken, for sentences built around
// names from a file or a table ("an ELF file", "an x86_64 process", "an ar
// archive", "an Apple Silicon Homebrew path", "a universal binary"). Pure.

/** Letters whose spoken name starts with a vowel sound: "an F", "an MH_OBJECT", "an SDK". */
const VOWEL_LETTERS = new Set('AEFHILMNORSX');

/** Lowercase names read letter by letter or starting with a vowel sound: x86, x64, s390x, i386, rv64. */
const SPELLED = /^(x86|x64|s390|i[3-6]86|rv\d)/;

/** Vowel-initial words said with a consonant sound ("a universal", "a user", "a one-time"). */
const CONSONANT_SOUND = /^(uni|use|usu|uti|ubiq|ur[ae]|eu|ewe|one\b|once\b)/i;

/** Words with a silent h ("an hour"). */
const SILENT_H = /^(hour|honest|honou?r|heir)/i;

export function article(phrase: string): 'a' | 'an' {
  const w = phrase.trim().replace(/^["'`([]+/, '');
  if (w === '') return 'a';
  // A number: "an 8-byte …", "an 11", "an 18"; else a consonant ("a 64-bit").
  const num = /^\d+/.exec(w)?.[0];
  if (num) return num.startsWith('8') || ((num.length === 2 || num.length === 5) && /^1[18]/.test(num)) ? 'an' : 'a';
  // The first token: up to a space or a word separator.
  const token = /^[^\s\-_/.,:;]+/.exec(w)?.[0] ?? w;
  // Capitals (ELF, MH_OBJECT, LC_UUID, SDK) and single letters are spelled out.
  if (token.length === 1 || (/^[A-Z][A-Z0-9]+$/.test(token) && token.length <= 5))
    return VOWEL_LETTERS.has(token[0]!.toUpperCase()) ? 'an' : 'a';
  if (SPELLED.test(token)) return VOWEL_LETTERS.has(token[0]!.toUpperCase()) ? 'an' : 'a';
  if (SILENT_H.test(token)) return 'an';
  if (/^[aeiou]/i.test(token)) return CONSONANT_SOUND.test(token) ? 'a' : 'an';
  return 'a';
}

/** A mass noun takes none: "this is gzip-compressed data". */
const MASS = /\bdata$/i;

/** The phrase after its article: "an ELF file", "a Mach-O file". */
export function withArticle(phrase: string): string {
  return MASS.test(phrase) ? phrase : `${article(phrase)} ${phrase}`;
}

/** The same at the start of a sentence: "An MH_FVMLIB file …". */
export function WithArticle(phrase: string): string {
  if (MASS.test(phrase)) return phrase[0]!.toUpperCase() + phrase.slice(1);
  return `${article(phrase) === 'an' ? 'An' : 'A'} ${phrase}`;
}
