package letter

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

func TestVerificationCode(t *testing.T) {
	t.Parallel()
	const num, content = "000.1.4/045/DISKOMINFO/XI/2026", "kind=\"tindak-lanjut\"\nbody=\"x\"\n"
	code := VerificationCode(num, content)
	if !regexp.MustCompile(`^[A-Z2-7]{5}-[A-Z2-7]{5}$`).MatchString(code) {
		t.Fatalf("code %q is not two groups of five base32 characters", code)
	}
	if VerificationCode(num, content) != code {
		t.Error("code is not deterministic")
	}
	if VerificationCode("000.1.4/046/DISKOMINFO/XI/2026", content) == code {
		t.Error("another number gives the same code")
	}
	if VerificationCode(num, content+"x") == code {
		t.Error("other content gives the same code")
	}
	// The boundary between number and content matters.
	if VerificationCode("ab", "c") == VerificationCode("a", "bc") {
		t.Error("number and content are not separated")
	}

	typed := []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), " " + code[:5] + " " + code[6:] + " "}
	// People read O as 0, I as 1 and B as 8 off paper.
	typed = append(typed, strings.NewReplacer("O", "0", "I", "1", "B", "8").Replace(code))
	for _, c := range typed {
		if !Verify(c, num, content) {
			t.Errorf("Verify(%q) = false for the right letter", c)
		}
	}
	for _, bad := range []string{"", "ABC", code + "A", "!!!!!-!!!!!", flipFirst(code)} {
		if Verify(bad, num, content) {
			t.Errorf("Verify(%q) = true", bad)
		}
	}
	if Verify(code, num, content+" ") {
		t.Error("a changed letter still verifies")
	}
}

func flipFirst(code string) string {
	if code[0] == 'A' {
		return "B" + code[1:]
	}
	return "A" + code[1:]
}

func TestLetterCodeFollowsContent(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	v := sampleView(t, sampleFollowUp)
	in := FollowUpInput{Number: "000.1.4/045/DISKOMINFO/XI/2026", Date: lapordesk.NewDate(2026, 11, 27)}
	a, err := FollowUp(o, v, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FollowUp(o, v, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Code != b.Code || a.Content() != b.Content() {
		t.Fatal("a reprint from the same record must carry the same code")
	}
	if !Verify(a.Code, a.Number, a.Content()) {
		t.Fatal("the letter's own code does not verify")
	}
	in.Training = true
	tr, _ := FollowUp(o, v, in)
	if tr.Code == a.Code {
		t.Error("a training specimen must not carry a real letter's code")
	}
	in.Training = false
	in.Number = "000.1.4/046/DISKOMINFO/XI/2026"
	other, _ := FollowUp(o, v, in)
	if other.Code == a.Code {
		t.Error("another number gives the same code")
	}
	// An edited follow-up changes the content: the old code no longer verifies it.
	v2 := v
	v2.History = append([]lapordesk.Event(nil), v.History...)
	last := v2.History[len(v2.History)-1]
	last.Payload.Text += " Ditambah."
	v2.History[len(v2.History)-1] = last
	edited, _ := FollowUp(o, v2, FollowUpInput{Number: a.Number, Date: a.Date})
	if Verify(a.Code, a.Number, edited.Content()) {
		t.Error("the code verifies a letter whose text changed")
	}
}

// TestQRCodeScans prints letters, rasterises them as a scanner would see paper, reads
// the QR code back with zbarimg, and checks the letter with what it holds.
func TestQRCodeScans(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (poppler-utils, zbar-tools): cannot scan the printed QR code", tool)
		}
	}
	o := sampleOffice(t)
	v := sampleView(t, sampleFollowUp)
	plain, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	o.Settings.VerifyURL = "https://lapor.barrukab.go.id/verifikasi/{kode}"
	linked, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, plain, linked)
	dir := t.TempDir()
	in := filepath.Join(dir, "l.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "200", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	scan := func(page int) string {
		out, err := exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, fmt.Sprintf("p-%d.png", page))).Output()
		if err != nil {
			t.Fatalf("zbarimg page %d: %v", page, err)
		}
		return strings.TrimSpace(string(out))
	}
	got := scan(1)
	want := "LAPORDESK|tindak-lanjut|" + sampleNumber + "|" + plain.Code
	if got != want {
		t.Fatalf("QR holds %q, want %q", got, want)
	}
	parts := strings.Split(got, "|")
	if !Verify(parts[3], parts[2], plain.Content()) {
		t.Error("the scanned code does not verify the letter")
	}
	if got := scan(2); got != "https://lapor.barrukab.go.id/verifikasi/"+linked.Code {
		t.Errorf("QR with verification URL holds %q", got)
	}
}
