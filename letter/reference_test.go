package letter

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

// TestWriteReferenceLetters renders the sample letters to PNG for the documentation
// (docs/letters). It runs only when asked:
//
//	LETTER_REFERENCE_DIR=$PWD/docs/letters go test ./letter/ -run TestWriteReferenceLetters
func TestWriteReferenceLetters(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("LETTER_REFERENCE_DIR")
	if dir == "" {
		t.Skip("set LETTER_REFERENCE_DIR to write the reference PNGs")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	o := sampleOffice(t)
	v := sampleView(t, sampleFollowUp)
	must := func(l *Letter, err error) *Letter {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	long := strings.Repeat("Tim teknis bersama aparat kelurahan telah meninjau lokasi dan mencatat kebutuhan perbaikan pada setiap titik penerangan jalan. ", 6) + "\n\n"
	yes := true
	f4 := o
	f4.Letterhead.Paper = PaperF4
	docs := []struct {
		name   string
		letter *Letter
		pages  []int
	}{
		{"tindak-lanjut", must(FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})), []int{1}},
		{"tindak-lanjut-panjang", must(FollowUp(o, sampleView(t, strings.Repeat(long, 7), rahasia), FollowUpInput{Number: "000.1.4/052/DISKOMINFO/XI/2026", Date: sampleDate})), []int{1, 2}},
		{"disposisi-setengah-folio", must(Disposisi(f4, v, DisposisiInput{Number: "000.1.4/046/DISKOMINFO/XI/2026", Sifat: SifatSegera, HalfSheet: &yes})), []int{1}},
		{"latihan-anonim", must(FollowUp(o, sampleView(t, sampleFollowUp, anonim), FollowUpInput{Number: "LATIHAN/003/DISKOMINFO/XI/2026", Date: sampleDate, Training: true})), []int{1}},
		{"rekap", must(Rekap(o, sampleRecap(), RekapInput{Date: lapordesk.NewDate(2027, 1, 4)})), []int{1, 2, 3}},
	}
	for _, d := range docs {
		pdf, _ := render(t, d.letter)
		in := filepath.Join(t.TempDir(), d.name+".pdf")
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range d.pages {
			out := filepath.Join(dir, d.name)
			if len(d.pages) > 1 {
				out += "-" + strconv.Itoa(p)
			}
			page := strconv.Itoa(p)
			if b, err := exec.Command("pdftoppm", "-png", "-r", "60", "-singlefile", "-f", page, "-l", page, in, out).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, b)
			}
		}
	}
}
