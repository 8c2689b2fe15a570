// French elision: "de" + "Émilie" is "d'Émilie", "le" + "élève" is "l'élève". The rule
// is a vowel (accented ones too) or an h: h aspiré words ("le héros") are rare in what
// we interpolate (first names, skill titles), so they take the elided form.
const ELIDES = /^[aeiouyhàâäéèêëîïôöùûüÿæœ]/i;

const ELIDED: Record<string, string> = { de: 'd’', le: 'l’', la: 'l’', que: 'qu’', ce: 'c’', je: 'j’', ne: 'n’', se: 's’' };

/** `word` before `next`, elided when French asks for it: elide('de', 'Émilie') → "d’Émilie". */
export function elide(word: string, next: string): string {
  const short = ELIDED[word.toLowerCase()];
  if (!short || !ELIDES.test(next.trim())) return `${word} ${next}`;
  const cased = word[0] === word[0]!.toUpperCase() ? short[0]!.toUpperCase() + short.slice(1) : short;
  return cased + next.trim();
}
