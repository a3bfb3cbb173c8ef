// Package letter prints the official letters of a unit as PDF (gofpdf), laid out as
// Pemda letters are under tata naskah dinas (Permendagri 1/2023): the lembar
// disposisi, the surat tindak lanjut, and the period recap.
//
// # Printing from the desk
//
// Print, PrintRecap and CheckCode are what the CLI and the GUI call; they take the
// store through small interfaces (Store, RecapStore, VerifyStore; *storage.Store is
// all of them) and do the whole job:
//
//   - Print checks the configuration, the template and the report, and builds the
//     letter without a number, so that every error comes before a number is spent.
//     Then, in the store's transaction (IssueLetter), the unit's next running number
//     of the year is formatted with the number pattern, the letter rebuilt with it and
//     today's date, and its record (number, date, verification code and content)
//     appended to the report's history. The PDF is written after the commit. A
//     reprint lays the recorded content out again: same number, date, code, bytes.
//   - In training (the profile's flag) letters carry the SPECIMEN - LATIHAN
//     watermark and take their numbers from a separate counter.
//   - PrintRecap prints the recap of a period and records it under a setting
//     ("recap.<code>"), since a recap belongs to no report.
//   - CheckCode finds the letter that carries a code read off paper and says
//     whether its record still gives the code (Intact) and what a letter printed
//     today from the report and settings would change (Changed).
//
// The unit's configuration lives among the store's settings under KeyLetterhead,
// KeySigner and KeyLetterSettings; LoadConfig, SaveOffice and Config.Office read,
// check and save it. What is left empty takes its default from the desk's profile,
// so letters print right after setup.
//
// # Building letters
//
// A builder (FollowUp, Disposisi, Rekap) takes the Office (letterhead, settings,
// signer), the domain's View or Recap, and a small input (number, date, training),
// checks everything, masks an Anonim reporter (the domain's ForDisplay, then a check
// of its own, and, given the unmasked report, a refusal of free text that repeats the
// identity), fills the body template, and writes the letter's canonical content:
// every printed field as "key=value" lines. The letter is then made from that
// content alone (content.go), so the content is complete by construction, the
// verification code derived from it covers all that is printed but the logo image,
// and LetterFromRecord reprints a recorded letter exactly. A Document lays letters
// out (a batch loads the fonts once) and writes the PDF; Render does both for a few.
//
// Text is printed with the embedded Liberation Serif (assets); a character the font
// lacks prints as □ and is counted in Info.Substituted, so the desk can warn before a
// letter is signed. Rahasia letters carry a RAHASIA mark at the top and foot of every
// page.
//
// Letter numbers: Settings.Pattern(kind) gives the NumberPattern that formats a running
// number the store has allocated ("{kode}/{nomor:03}/{unit}/{bulan_romawi}/{tahun}"
// gives 000.1.4/045/DISKOMINFO/XI/2026; without a classification code the default is
// "{nomor:03}/{unit}/{bulan_romawi}/{tahun}").
package letter
