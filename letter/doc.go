// Package letter prints the official letters of a unit as PDF (gofpdf), laid out as
// Pemda letters are under tata naskah dinas (Permendagri 1/2023): the lembar
// disposisi, the surat tindak lanjut, and the period recap.
//
// It takes plain inputs and writes bytes; it knows nothing of the store. Every letter
// is built in two steps:
//
//  1. A builder (FollowUp, Disposisi, Rekap) takes the Office (letterhead, settings,
//     signer), the domain's View or Recap, and a small input (number, date, training),
//     checks everything, masks an Anonim reporter (the domain's ForDisplay, then a check
//     of its own, and, given the unmasked report, a refusal of free text that repeats
//     the identity), fills the body template, and derives the verification code from
//     the letter's canonical content and number. All errors happen here, before a
//     page is drawn, and name what is wrong.
//  2. A Document lays one or more letters out (a batch loads the fonts once) and
//     writes the PDF; Render does both for a few letters.
//
// Text is printed with the embedded Liberation Serif (assets); a character the font
// lacks prints as □ and is counted in Info.Substituted, so the desk can warn before a
// letter is signed. Training letters carry a diagonal SPECIMEN - LATIHAN watermark and
// a footer mark on every page; Rahasia letters a RAHASIA mark at the top and foot of
// every page.
//
// Letter numbers: Settings.Pattern(kind) gives the NumberPattern that formats a running
// number the store has allocated ("{kode}/{nomor:03}/{unit}/{bulan_romawi}/{tahun}"
// gives 000.1.4/045/DISKOMINFO/XI/2026). A reprint passes the same number and date,
// and so gets the same verification code; Verify checks a code typed or scanned from
// paper against a letter rebuilt from the record.
package letter
