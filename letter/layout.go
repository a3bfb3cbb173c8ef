package letter

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

const (
	ptMM        = 25.4 / 72 // one point in millimetres
	lineSpacing = 1.2       // line height as a multiple of the font size
	footerH     = 7.0       // mm kept at the bottom of the text area for the footer
	kopMaxLines = 3         // lines of one letterhead item at most
)

// writer lays out one letter: it tracks the text area of the current page, breaks pages
// itself (so a signature block is never split), and stamps every page of the letter
// with its footer and, in training, the watermark.
type writer struct {
	d     *Document
	pdf   *gofpdf.Fpdf
	l     *Letter
	logo  logoRef
	qr    string
	pageW float64
	pageH float64
	m     Margins
	x0    float64 // left edge of the text area
	x1    float64 // right edge
	yMax  float64 // lowest baseline area for body text (the footer sits below)
	scale float64 // font scale: 1 on full sheets, smaller on the half-sheet form
	page0 int
	subst int
	open  bool // a page of this letter is open
	style string
	pt    float64
}

func newWriter(d *Document, l *Letter, logo logoRef, qr string) (*writer, error) {
	paper := l.office.Letterhead.Paper
	m := l.office.Letterhead.Margins.orDefault()
	w, h, err := paper.Size()
	scale := 1.0
	if l.half {
		w, h, err = paper.halfSize()
		m = m.halfMargins()
		scale = 0.8
	}
	if err != nil {
		return nil, err
	}
	return &writer{
		d: d, pdf: d.pdf, l: l, logo: logo, qr: qr,
		pageW: w, pageH: h, m: m,
		x0: m.Left, x1: w - m.Right, yMax: h - m.Bottom - footerH*scale,
		scale: scale,
	}, nil
}

// run draws the whole letter and closes its last page. The PDF library records errors
// instead of returning them; they are collected at the end.
func (w *writer) run() (err error) {
	// The inputs are checked and cleaned before drawing, so gofpdf should never panic
	// on them; should a bug in it still do so, the user gets an error, not a crash of
	// the desk with unsaved work.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("print %s letter %s: internal error in the PDF library: %v", w.l.Kind, w.l.Number, r)
		}
	}()
	w.newPage()
	w.page0 = w.pdf.PageNo()
	w.l.body.draw(w)
	w.finishPage()
	if err := w.pdf.Error(); err != nil {
		return fmt.Errorf("print %s letter %s: %w", w.l.Kind, w.l.Number, err)
	}
	return nil
}

// width is the width of the text area.
func (w *writer) width() float64 { return w.x1 - w.x0 }

func (w *writer) y() float64 { return w.pdf.GetY() }

func (w *writer) setY(y float64) { w.pdf.SetY(y) }

// font selects a style ("", "B", "I") at size pt, scaled for the sheet.
func (w *writer) font(style string, pt float64) {
	w.style, w.pt = style, pt
	w.pdf.SetFont(family, style, pt*w.scale)
}

// lh is the line height of the current font, in millimetres.
func (w *writer) lh() float64 {
	pt, _ := w.pdf.GetFontSize()
	return pt * ptMM * lineSpacing
}

// clean makes s printable on one line; cleanML keeps its line breaks.
func (w *writer) clean(s string) string {
	out, n := w.d.fonts.cover.cleanText(s, false)
	w.subst += n
	return strings.TrimSpace(out)
}

func (w *writer) cleanML(s string) string {
	out, n := w.d.fonts.cover.cleanText(s, true)
	w.subst += n
	return out
}

func (w *writer) strWidth(s string) float64 { return w.pdf.GetStringWidth(s) }

// ensure starts a new page when h millimetres do not fit below the current line.
func (w *writer) ensure(h float64) {
	if w.y()+h > w.yMax {
		w.newPage()
	}
}

// newPage closes the current page and opens the next one of the letter. Only the first
// page carries the letterhead (drawn by the letter body); the following ones carry
// the page number, centred at the top as tata naskah dinas puts it.
func (w *writer) newPage() {
	style, pt := w.style, w.pt
	defer func() {
		if pt > 0 {
			w.font(style, pt)
		}
	}()
	if w.open {
		w.finishPage()
	}
	w.pdf.SetMargins(w.m.Left, w.m.Top, w.m.Right)
	w.pdf.AddPageFormat("P", gofpdf.SizeType{Wd: w.pageW, Ht: w.pageH})
	w.open = true
	w.pdf.SetDrawColor(0, 0, 0)
	w.pdf.SetTextColor(0, 0, 0)
	w.pdf.SetLineWidth(0.2)
	w.setY(w.m.Top)
	if w.l.rahasia {
		w.font("B", 11)
		lh := w.lh()
		tw := w.strWidth("RAHASIA") + 4
		w.pdf.Rect((w.x0+w.x1-tw)/2, w.y(), tw, lh, "D")
		w.pdf.SetXY(w.x0, w.y())
		w.pdf.CellFormat(w.width(), lh, "RAHASIA", "", 0, "C", false, 0, "")
		w.setY(w.y() + lh + 2*w.scale)
	}
	if n := w.pdf.PageNo() - w.page0 + 1; w.page0 > 0 && n > 1 {
		w.font("", 11)
		w.pdf.SetXY(w.x0, w.y())
		w.pdf.CellFormat(w.width(), w.lh(), fmt.Sprintf("- %d -", n), "", 0, "C", false, 0, "")
		w.setY(w.y() + w.lh()*2)
	}
}

// finishPage stamps the footer (verification code, number, page) inside the text
// area's bottom band and, in training, the diagonal watermark over everything.
func (w *writer) finishPage() {
	w.open = false
	n := w.pdf.PageNo() - w.page0 + 1
	w.pdf.SetTextColor(90, 90, 90)
	w.font("", 7.5)
	y := w.yMax + footerH*w.scale - w.lh()
	left := "Kode verifikasi " + w.l.Code
	if w.l.Number != "" {
		left += " · Nomor " + w.clean(w.l.Number)
	}
	right := fmt.Sprintf("Hal. %d", n)
	mid := ""
	switch {
	case w.l.Training:
		mid = "SPECIMEN - LATIHAN - TIDAK SAH"
	case w.l.rahasia:
		mid = "RAHASIA"
	}
	rw := w.strWidth(right)
	avail := w.width() - rw - 3
	if mid != "" {
		avail -= w.strWidth(mid) + 6
	}
	left = w.fitEllipsis(left, avail)
	w.pdf.SetDrawColor(150, 150, 150)
	w.pdf.SetLineWidth(0.1)
	w.pdf.Line(w.x0, y-0.8, w.x1, y-0.8)
	w.pdf.SetXY(w.x0, y)
	w.pdf.CellFormat(w.width(), w.lh(), left, "", 0, "L", false, 0, "")
	if mid != "" {
		w.font("B", 7.5)
		w.pdf.SetXY(w.x0+w.width()-rw-3-w.strWidth(mid)-3, y)
		w.pdf.CellFormat(w.strWidth(mid), w.lh(), mid, "", 0, "L", false, 0, "")
		w.font("", 7.5)
	}
	w.pdf.SetXY(w.x1-rw, y)
	w.pdf.CellFormat(rw, w.lh(), right, "", 0, "L", false, 0, "")
	w.pdf.SetTextColor(0, 0, 0)
	w.pdf.SetDrawColor(0, 0, 0)
	if w.l.Training {
		w.watermark()
	}
}

// watermark writes "SPECIMEN - LATIHAN" across the page's diagonal, translucent so the
// letter stays readable but on top of everything so nothing can hide it.
func (w *writer) watermark() {
	const text = "SPECIMEN - LATIHAN"
	diag := math.Hypot(w.pageW, w.pageH)
	angle := math.Atan2(w.pageH, w.pageW) * 180 / math.Pi
	w.pdf.SetFont(family, "B", 100)
	size := 100 * diag * 0.7 / w.strWidth(text)
	w.pdf.SetFont(family, "B", size)
	tw := w.strWidth(text)
	cx, cy := w.pageW/2, w.pageH/2
	w.pdf.SetAlpha(0.25, "Normal")
	w.pdf.SetTextColor(200, 0, 0)
	w.pdf.TransformBegin()
	w.pdf.TransformRotate(angle, cx, cy)
	w.pdf.Text(cx-tw/2, cy+size*ptMM*0.35, text)
	w.pdf.TransformEnd()
	w.pdf.SetAlpha(1, "Normal")
	w.pdf.SetTextColor(0, 0, 0)
}

// fitEllipsis shortens s with "…" until it fits width.
func (w *writer) fitEllipsis(s string, width float64) string {
	if w.strWidth(s) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && w.strWidth(string(rs)+"…") > width {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// wrap breaks one paragraph (no line breaks) into lines no wider than width with the
// current font. Words longer than a line are cut between characters.
func (w *writer) wrap(s string, width float64) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	space := w.strWidth(" ")
	var lines []string
	var cur strings.Builder
	curW := 0.0
	for _, word := range words {
		ww := w.strWidth(word)
		if ww > width {
			// Flush, then cut the long word into pieces that fit.
			if cur.Len() > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
				curW = 0
			}
			lines = append(lines, w.cutWord(word, width)...)
			last := lines[len(lines)-1]
			lines = lines[:len(lines)-1]
			cur.WriteString(last)
			curW = w.strWidth(last)
			continue
		}
		if cur.Len() == 0 {
			cur.WriteString(word)
			curW = ww
			continue
		}
		if curW+space+ww <= width {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += space + ww
			continue
		}
		lines = append(lines, cur.String())
		cur.Reset()
		cur.WriteString(word)
		curW = ww
	}
	lines = append(lines, cur.String())
	return lines
}

// cutWord splits a word wider than width into pieces that fit, at least one character
// each.
func (w *writer) cutWord(word string, width float64) []string {
	var pieces []string
	start, cw := 0, 0.0
	for i, r := range word {
		rw := w.strWidth(string(r))
		if cw+rw > width && i > start {
			pieces = append(pieces, word[start:i])
			start, cw = i, 0
		}
		cw += rw
	}
	return append(pieces, word[start:])
}

// lines breaks multi-line text into printable lines: each line break starts a new line,
// a blank line is kept as an empty line.
func (w *writer) lines(s string, width float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, w.wrap(para, width)...)
	}
	return out
}

// paragraphs prints text at x in a column of width, flowing across pages. Paragraphs
// are separated by blank lines in the text; with justify, every line but a
// paragraph's last is set flush on both sides, as letters are.
func (w *writer) paragraphs(x, width float64, text string, justify bool, gap float64) {
	text = strings.TrimSpace(w.cleanML(text))
	paras := splitParagraphs(text)
	for pi, para := range paras {
		if pi > 0 {
			w.setY(w.y() + gap)
		}
		lines := w.lines(para, width)
		lh := w.lh()
		for i, line := range lines {
			w.ensure(lh)
			align := "L"
			if justify && i < len(lines)-1 && strings.Contains(line, " ") && !strings.Contains(para, "\n") {
				align = "J"
			}
			w.pdf.SetXY(x, w.y())
			w.pdf.CellFormat(width, lh, line, "", 0, align, false, 0, "")
			w.setY(w.y() + lh)
		}
	}
}

// splitParagraphs splits text at blank lines; single line breaks stay inside a
// paragraph (a list typed line by line keeps its lines).
func splitParagraphs(text string) []string {
	var paras []string
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, "\n"))
	}
	return paras
}

// cell prints one line at x (no wrapping); align is "L", "C" or "R".
func (w *writer) cell(x, width float64, s, align string) {
	w.pdf.SetXY(x, w.y())
	w.pdf.CellFormat(width, w.lh(), s, "", 0, align, false, 0, "")
}

// centered prints text centred in the text area, wrapping and flowing across pages.
func (w *writer) centered(text string) {
	lh := w.lh()
	for _, line := range w.wrap(w.clean(text), w.width()) {
		w.ensure(lh)
		w.cell(w.x0, w.width(), line, "C")
		w.setY(w.y() + lh)
	}
}

// labelled prints "label : value" rows with the values aligned in a column at x+labelW,
// the value wrapping inside its column.
func (w *writer) labelled(x, labelW, width float64, label, value string) {
	lh := w.lh()
	colon := w.strWidth(" : ")
	lines := w.wrap(w.clean(value), width-labelW-colon)
	for i, line := range lines {
		w.ensure(lh)
		if i == 0 {
			w.cell(x, labelW, label, "L")
			w.cell(x+labelW, colon, ":", "C")
		}
		w.cell(x+labelW+colon, width-labelW-colon, line, "L")
		w.setY(w.y() + lh)
	}
}

// kop draws the letterhead: the logo at the left, the Pemda and unit names and the
// contact lines centred beside it, and the double rule beneath, across the text area.
func (w *writer) kop() {
	h := w.l.office.Letterhead
	top := w.y()
	logoH := 25 * w.scale
	logoW := 0.0
	if w.logo.name != "" {
		logoW = min(logoH*w.logo.aspect, 30*w.scale)
		logoH = logoW / w.logo.aspect
	}
	tx := w.x0
	if logoW > 0 {
		tx += logoW + 3*w.scale
	}
	tw := w.x1 - tx

	type kopLine struct {
		style string
		pt    float64
		lines []string
	}
	var kl []kopLine
	add := func(text, style string, pt, minPt float64) {
		text = w.clean(text)
		if text == "" {
			return
		}
		// Shrink a long name to fit one line, down to minPt; beyond that, wrap.
		size := pt
		for ; size > minPt; size -= 0.5 {
			w.font(style, size)
			if w.strWidth(text) <= tw {
				break
			}
		}
		w.font(style, size)
		lines := w.wrap(text, tw)
		// The letterhead is a fixed block on the first page: an absurdly long setting
		// is cut visibly rather than pushing the letter off the page.
		if len(lines) > kopMaxLines {
			lines = lines[:kopMaxLines]
			lines[kopMaxLines-1] = w.fitEllipsis(lines[kopMaxLines-1]+"…", tw)
		}
		kl = append(kl, kopLine{style, size, lines})
	}
	pemda := strings.TrimSpace(h.Pemda)
	if !strings.HasPrefix(strings.ToUpper(pemda), "PEMERINTAH") {
		pemda = "Pemerintah " + pemda
	}
	add(strings.ToUpper(pemda), "B", 14, 10)
	add(strings.ToUpper(h.Unit), "B", 16, 11)
	add(h.Address, "", 10.5, 8)
	var contact []string
	if v := strings.TrimSpace(h.Phone); v != "" {
		contact = append(contact, "Telepon "+v)
	}
	if v := strings.TrimSpace(h.Email); v != "" {
		contact = append(contact, "Pos-el "+v)
	}
	if v := strings.TrimSpace(h.Website); v != "" {
		contact = append(contact, "Laman "+v)
	}
	add(strings.Join(contact, ", "), "", 10.5, 8)

	textH := 0.0
	for _, k := range kl {
		w.font(k.style, k.pt)
		textH += float64(len(k.lines)) * w.lh()
	}
	kopH := max(textH, logoH)
	if logoW > 0 {
		w.pdf.ImageOptions(w.logo.name, w.x0, top+(kopH-logoH)/2, logoW, logoH, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	w.setY(top + (kopH-textH)/2)
	for _, k := range kl {
		w.font(k.style, k.pt)
		for _, line := range k.lines {
			w.cell(tx, tw, line, "C")
			w.setY(w.y() + w.lh())
		}
	}
	// The double rule: a thick line over a thin one.
	y := top + kopH + 1.5*w.scale
	w.pdf.SetLineWidth(0.8 * w.scale)
	w.pdf.Line(w.x0, y, w.x1, y)
	w.pdf.SetLineWidth(0.25 * w.scale)
	w.pdf.Line(w.x0, y+1.2*w.scale, w.x1, y+1.2*w.scale)
	w.pdf.SetLineWidth(0.2)
	w.setY(y + 5*w.scale)
}

// signatureBlock is the signer's block, with the QR code and verification code beside
// it at the left. It is kept whole on one page.
type signatureBlock struct {
	dateline string // "Barru, 27 November 2026", for forms that date at the signature
	prefix   string // "a.n." lines and the like, before the jabatan; may be empty
}

// signature draws the block in the right part of the text area from x, and the QR
// code at qrX.
func (w *writer) signature(x, qrX float64, sb signatureBlock) {
	sg := w.l.office.Signer
	width := w.x1 - x
	w.font("", 12)
	lh := w.lh()
	space := 22 * w.scale

	var head []string
	if sb.dateline != "" {
		head = append(head, w.wrap(w.clean(sb.dateline), width)...)
	}
	if sb.prefix != "" {
		head = append(head, w.wrap(w.clean(sb.prefix), width)...)
	}
	jab := strings.ToUpper(w.clean(sg.Jabatan))
	if jab != "" && !strings.HasSuffix(jab, ",") {
		jab += ","
	}
	head = append(head, w.wrap(jab, width)...)
	name := w.clean(sg.Name)
	nameLines := []string{"(" + strings.Repeat(".", 40) + ")"}
	if name != "" {
		w.font("B", 12)
		nameLines = w.wrap(name, width)
		w.font("", 12)
	}
	var tail []string
	if p := w.clean(sg.Pangkat); p != "" {
		tail = append(tail, w.wrap(p, width)...)
	}
	if nip := w.clean(FormatNIP(sg.NIP)); nip != "" {
		tail = append(tail, w.wrap("NIP. "+nip, width)...)
	}
	blockH := float64(len(head)+len(nameLines)+len(tail))*lh + space
	// Not scaled down on the half sheet: a smaller code no longer scans reliably.
	qrSize := 22.0
	w.font("", 8)
	qrH := qrSize + 2*w.lh()
	w.font("", 12)
	w.ensure(max(blockH, qrH) + 2)

	top := w.y()
	// QR code and the code in words, so a copy can be checked without a scanner.
	w.pdf.ImageOptions(w.qr, qrX, top, qrSize, qrSize, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	w.font("", 8)
	w.setY(top + qrSize + 0.5)
	cw := max(qrSize, 40*w.scale)
	w.cell(qrX, cw, "Kode verifikasi:", "L")
	w.setY(w.y() + w.lh())
	w.font("B", 8)
	w.cell(qrX, cw, w.l.Code, "L")

	// Lines are placed one by one so that a block taller than a page (absurd settings)
	// still flows instead of running off it; a normal block never breaks here.
	page := w.pdf.PageNo()
	line := func(text string) {
		w.ensure(lh)
		w.cell(x, width, text, "L")
	}
	w.font("", 12)
	w.setY(top)
	for _, l := range head {
		line(l)
		w.setY(w.y() + lh)
	}
	w.setY(w.y() + space)
	w.font("B", 12)
	for _, l := range nameLines {
		line(l)
		if name != "" {
			ux := w.strWidth(l)
			w.pdf.SetLineWidth(0.25)
			w.pdf.Line(x, w.y()+lh*0.85, x+ux, w.y()+lh*0.85)
			w.pdf.SetLineWidth(0.2)
		}
		w.setY(w.y() + lh)
	}
	w.font("", 12)
	for _, l := range tail {
		line(l)
		w.setY(w.y() + lh)
	}
	if w.pdf.PageNo() == page {
		w.setY(max(w.y(), top+qrH))
	}
	w.setY(w.y() + 2)
}

// checkbox draws a box at x on the current line, ticked with "√" when on, as forms
// are ticked by hand; the tick is text so that it can be read back from the PDF.
func (w *writer) checkbox(x float64, on bool) float64 {
	lh := w.lh()
	size := min(lh*0.75, 3.6*w.scale)
	y := w.y() + (lh-size)/2
	w.pdf.SetLineWidth(0.25)
	w.pdf.Rect(x, y, size, size, "D")
	w.pdf.SetLineWidth(0.2)
	if on {
		tick := "√"
		if !w.d.fonts.cover.has('√') {
			tick = "X"
		}
		w.pdf.SetFont(family, "B", w.pt*w.scale)
		w.pdf.SetXY(x, w.y())
		w.pdf.CellFormat(size, lh, tick, "", 0, "C", false, 0, "")
		w.pdf.SetFont(family, w.style, w.pt*w.scale)
	}
	return size
}

// truncate bounds a table label: rows must fit on a page.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
