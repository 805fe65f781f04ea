/**
 * The sender's own words in a mail body: what is quoted from earlier mails is
 * cut off. A reply quotes the office's "your application is incomplete", a
 * forward quotes someone else's "please disregard my previous e-mail"; only
 * what the sender wrote now says what this mail is.
 */

/** A separator that starts a quoted or forwarded mail, in the languages of our applicants' mail clients. */
const QUOTE_STARTS = [
  // "-----Original Message-----", "---------- Forwarded message ---------", Outlook's and Thunderbird's.
  /^\s*-{2,}\s*(original message|forwarded message|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|messaggio originale|messaggio inoltrato|mensaje original|mensaje reenviado|mensagem original|mensagem encaminhada|oorspronkelijk bericht|doorgestuurd bericht|wiadomość oryginalna|oryginalna wiadomość)\b/i,
  // "On Fri, 19 Mar 2021 at 21:03, X wrote:" and its translations.
  /^\s*(on|am|le|il|el|em|op|w dniu|dnia)\b.{3,200}\b(wrote|schrieb|a écrit|ha scritto|escribió|escreveu|schreef|napisał|napisała)\s*:?\s*$/i,
  // Outlook's header block of a quoted mail: "From: …" / "Von: …" at the start of a line after the text.
  /^\s*(from|von|de|da|od|van)\s*:\s*\S/i,
];

/**
 * The body up to the first quote separator, without lines quoted with `>` (a bottom-posted reply
 * writes its own words below them).
 */
export function ownWords(body: string): string {
  const out: string[] = [];
  let said = false;
  for (const line of body.split(/\r?\n/)) {
    if (line.trimStart().startsWith('>')) continue;
    // A mail that is only a forward has no words of its own before the separator: it keeps the forwarded ones.
    const separator = QUOTE_STARTS.some((re) => re.test(line));
    if (separator && said) break;
    said ||= !separator && line.trim() !== '';
    out.push(line);
  }
  return out.join('\n');
}
