package letter

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

func TestQuoteRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", `a"b\c`, "line\nbreak\ttab\r\x00\x1b\x7f\u0085", "\u202e\u200b\ufeff", everyBlock(), "\xed\xa0\x80\xff\xfe"} {
		var b strings.Builder
		quote(&b, s)
		got, err := strconv.Unquote(b.String())
		if err != nil || got != s {
			t.Fatalf("quote(%.20q) does not read back: %v", s, err)
		}
		if err := lapordesk.CheckText("content", b.String(), false, 1<<20, false); err != nil {
			t.Errorf("quote(%.20q) leaves %v", s, err)
		}
	}
	// Unassigned and non-Latin characters stay as they are: the record does not grow.
	var b strings.Builder
	quote(&b, "\U000e0100 Jalan 巴鲁 \U0010fffd")
	if n := len([]rune(b.String())); n != len([]rune("\U000e0100 Jalan 巴鲁 \U0010fffd"))+2 {
		t.Errorf("quoted %d characters: %s", n, b.String())
	}
}

// A letter printed from its record is the letter printed at first: same code, same
// bytes, whatever changed in the office settings since.
func TestLetterFromRecordReprintsTheSameBytes(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	v := sampleView(t, sampleFollowUp, rahasia)
	fu, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate, To: []string{"Kepala Desa Sumpang | Binangae", "di Tempat"}})
	if err != nil {
		t.Fatal(err)
	}
	di, err := Disposisi(o, v, DisposisiInput{Number: "000.1.4/002/DISKOMINFO/XI/2026", Date: sampleDate, Sifat: SifatSegera})
	if err != nil {
		t.Fatal(err)
	}
	re, err := Rekap(o, sampleRecap(), RekapInput{Date: sampleDate, Training: true})
	if err != nil {
		t.Fatal(err)
	}
	var firsts [][]byte
	for _, l := range []*Letter{fu, di, re} {
		first, _ := render(t, l)
		firsts = append(firsts, first)
	}
	// A PDF library stamps the time of writing unless told otherwise: reprint in
	// another second.
	time.Sleep(1100 * time.Millisecond)
	for i, l := range []*Letter{fu, di, re} {
		first := firsts[i]
		rec := l.Record()
		rec.Seq, rec.Year = 1, 2026
		// Nothing but the logo comes from the current settings: what was printed stays.
		again, err := LetterFromRecord(rec, o.Letterhead.Logo)
		if err != nil {
			t.Fatalf("%s: %v", l.Kind, err)
		}
		if again.Code != l.Code || again.Content() != l.Content() || again.Title != l.Title {
			t.Fatalf("%s: the reprint is another letter", l.Kind)
		}
		second, _ := render(t, again)
		if !bytes.Equal(first, second) {
			t.Errorf("%s: reprint differs from the first print", l.Kind)
		}

		altered := rec
		altered.Content = strings.Replace(rec.Content, "Barru", "Baru", 1)
		if _, err := LetterFromRecord(altered, nil); !errors.Is(err, ErrRecordAltered) {
			t.Errorf("%s: an altered record printed: %v", l.Kind, err)
		}
		altered = rec
		altered.Training = !rec.Training
		if _, err := LetterFromRecord(altered, nil); !errors.Is(err, ErrRecordAltered) {
			t.Errorf("%s: a record whose training flag changed printed: %v", l.Kind, err)
		}
	}
	if !fu.rahasia || !di.rahasia || re.rahasia {
		t.Error("the Rahasia mark did not survive the content")
	}
	if _, err := LetterFromRecord(lapordesk.LetterRecord{Number: "1", Code: fu.Code}, nil); err == nil {
		t.Error("a record without content printed")
	}
}

func TestParseContentRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"kind", "=\"x\"", "kind=x", "kind=\"a\"\nkind=\"b\"", "kind=\"unknown\""} {
		if _, err := decodeLetter(c, nil); !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("decodeLetter(%q) = %v", c, err)
		}
	}
}
