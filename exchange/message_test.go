package exchange

import (
	"errors"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
)

// Every code a user can meet has words in both languages, and every column a
// header.
func TestEveryMessageIsTranslated(t *testing.T) {
	files := []string{FileTooLarge, FileTooManyRows, FileTooManyCols, FileZipBomb, FileNotSheet, FileOldXLS, FileHTML,
		FileEmpty, FileDamaged, FileNoSheet, FileBinary, FileHasProblems, FileTooManyExport}
	problems := []string{ProblemNotDate, ProblemImpossible, ProblemAmbiguous, ProblemMerged, ProblemFormula, ProblemDuplicateRow,
		ProblemTrackingClash, ProblemNotNumber, ProblemMissingColumn, ProblemMappedAbsent, ProblemDateOrder, ProblemFuture,
		ProblemStatusDate, ProblemNotApplied, ProblemDecoded1252, ProblemNoDate, ProblemUnclosedQuote}
	for _, lang := range assets.Languages {
		tr, err := assets.Translation(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range files {
			if tr["exchange.file."+c] == "" {
				t.Errorf("%s: no words for %s", lang, c)
			}
		}
		for _, c := range problems {
			if tr["exchange.problem."+c] == "" {
				t.Errorf("%s: no words for %s", lang, c)
			}
		}
		for _, c := range exportColumns {
			if tr["exchange.col."+c.key] == "" {
				t.Errorf("%s: no header for %s", lang, c.key)
			}
		}
	}
	if err := i18n.Use("en"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("id")
	msg := Message(Problem{Row: 7, Column: 3, Header: "Tanggal", Field: FieldReceivedAt, Code: ProblemImpossible, Value: "31/02/2026"})
	if msg != `Row 7, column C (Tanggal): "31/02/2026" is not a possible date` {
		t.Fatalf("english: %q", msg)
	}
	msg = Message(Problem{Row: 2, Column: 1, Header: "Judul", Field: FieldTitle, Code: lapordesk.ProblemRequired})
	if !strings.HasPrefix(msg, "Row 2, column A (Judul): ") || strings.Contains(msg, "required}") {
		t.Fatalf("domain code: %q", msg)
	}
	if got := Describe(errors.Join(&FileError{Code: FileZipBomb, File: "x.xlsx", Detail: "200 MB from 200 KB"})); !strings.Contains(got, "x.xlsx was not opened") {
		t.Fatalf("file error: %q", got)
	}
}

func TestColumnName(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA", 16384: "XFD", 0: ""} {
		if got := ColumnName(n); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
}
