package letter

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Helpers that read a rendered PDF back with poppler's pdftotext, as a person reads
// the printed letter: the text, and where each word sits on the page.

func needPoppler(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: cannot read the rendered PDF back; install poppler-utils to run this test")
	}
}

// render prints letters into one PDF and returns its bytes.
func render(t testing.TB, letters ...*Letter) ([]byte, []Info) {
	t.Helper()
	var b bytes.Buffer
	infos, err := Render(&b, letters...)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	return b.Bytes(), infos
}

func writePDF(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText returns the text of page (0: every page) as laid out on paper (lines in
// page order, columns side by side), whitespace collapsed so that phrases wrapped
// across lines still match.
func pdfText(t testing.TB, pdf []byte, page int) string {
	t.Helper()
	needPoppler(t)
	args := []string{"-layout", "-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	args = append(args, writePDF(t, pdf), "-")
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

type word struct {
	x0, y0, x1, y1 float64 // points, from the top left
	text           string
}

type pdfPage struct {
	w, h  float64
	words []word
}

var (
	rePage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	reWord = regexp.MustCompile(`<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">([^<]*)</word>`)
)

// pdfWords returns every page with its words' boxes (pdftotext -bbox).
func pdfWords(t testing.TB, pdf []byte) []pdfPage {
	t.Helper()
	needPoppler(t)
	out, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", writePDF(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages []pdfPage
	for _, chunk := range strings.Split(string(out), "</page>") {
		m := rePage.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		p := pdfPage{w: atof(m[1]), h: atof(m[2])}
		for _, wm := range reWord.FindAllStringSubmatch(chunk, -1) {
			p.words = append(p.words, word{atof(wm[1]), atof(wm[2]), atof(wm[3]), atof(wm[4]), html.UnescapeString(wm[5])})
		}
		pages = append(pages, p)
	}
	return pages
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

const mmPt = 72 / 25.4

// assertInsideMargins checks that every word lies inside the text area of its page,
// except the words of the training watermark, which crosses the page on purpose.
func assertInsideMargins(t *testing.T, pages []pdfPage, m Margins) {
	t.Helper()
	for _, v := range marginViolations(pages, m) {
		t.Error(v)
	}
}

func marginViolations(pages []pdfPage, m Margins) []string {
	const tol = 0.8 // points: glyph side bearings
	var out []string
	for i, p := range pages {
		for _, w := range p.words {
			if w.text == "SPECIMEN" || w.text == "LATIHAN" || w.text == "-" && w.x1-w.x0 > 20 {
				continue
			}
			if w.x0 < m.Left*mmPt-tol || w.x1 > p.w-m.Right*mmPt+tol || w.y0 < m.Top*mmPt-tol || w.y1 > p.h-m.Bottom*mmPt+tol {
				out = append(out, fmt.Sprintf("page %d: %q at x %.1f–%.1f, y %.1f–%.1f pt lies outside the margins (text area x %.1f–%.1f, y %.1f–%.1f)",
					i+1, w.text, w.x0, w.x1, w.y0, w.y1, m.Left*mmPt, p.w-m.Right*mmPt, m.Top*mmPt, p.h-m.Bottom*mmPt))
			}
		}
	}
	return out
}

// assertContains checks each phrase occurs in text.
func assertContains(t *testing.T, what, text string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(text, p) {
			t.Errorf("%s: %q not found in the printed text", what, p)
		}
	}
}

// findWord returns the first word on page p equal to text.
func findWord(p pdfPage, text string) (word, bool) {
	for _, w := range p.words {
		if w.text == text {
			return w, true
		}
	}
	return word{}, false
}

// findLabel returns the first word of a checkbox label: the words of label in a row,
// not preceded on their line by another word of text (so "Segera" is not found inside
// "Sangat Segera").
func findLabel(p pdfPage, label string) (word, bool) {
	want := strings.Fields(label)
	for i := range p.words {
		if i+len(want) > len(p.words) {
			break
		}
		match := true
		for j, w := range want {
			if p.words[i+j].text != w {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		if i > 0 {
			prev := p.words[i-1]
			if prev.text != "√" && abs(prev.y0-p.words[i].y0) < 2 && p.words[i].x0-prev.x1 < 8 && prev.x1 <= p.words[i].x0 {
				continue
			}
		}
		return p.words[i], true
	}
	return word{}, false
}

// tickedBefore reports whether a "√" sits on the same line just left of the word.
func tickedBefore(p pdfPage, w word) bool {
	for _, c := range p.words {
		if c.text == "√" && abs(c.y0-w.y0) < 2 && c.x1 <= w.x0+0.5 && w.x0-c.x1 < 12 {
			return true
		}
	}
	return false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
