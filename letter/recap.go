package letter

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// RekapInput is what a recap needs beyond the recap figures and the office.
type RekapInput struct {
	Number   string         // optional letter number
	Date     lapordesk.Date // the date at the signature
	Training bool
	// UnitName names the unit the recap covers; empty is the letterhead's unit, or
	// "Seluruh Perangkat Daerah" when the recap covers every unit.
	UnitName string
}

type rekapBody struct {
	number   string
	dateline string
	unit     string
	period   string
	summary  [][]string
	sections []rekapSection
	months   []bar
	cats     []bar
}

type rekapSection struct {
	title string
	rows  [][]string // label, count, percentage
}

type bar struct {
	label string
	n     int
}

// maxRecapRows bounds each table: a recap is for reading, and a category list of ten
// thousand rows is a data export, not a letter.
const maxRecapRows = 500

// Rekap builds the period recap for the unit head and the coordinator: counts by status,
// national outcome, classification, channel, category and month; overdue; average
// working days to response and to follow-up; tables, and bar charts by month and by
// category.
func Rekap(o Office, r lapordesk.Recap, in RekapInput) (*Letter, error) {
	if err := o.validate(false); err != nil {
		return nil, fmt.Errorf("rekap: settings: %w", err)
	}
	if err := checkLetterInput(in.Number, in.Date); err != nil {
		return nil, fmt.Errorf("rekap: %w", err)
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return nil, fmt.Errorf("rekap: %w", &lapordesk.FieldError{Field: "to", Problem: lapordesk.ProblemRange, Value: r.To.String()})
	}
	if err := checkRecapCounts(r); err != nil {
		return nil, fmt.Errorf("rekap: %w", err)
	}
	b := &rekapBody{number: in.Number, dateline: PlaceDateID(o.Settings.Place, in.Date)}
	b.unit = firstNonBlank(in.UnitName)
	if b.unit == "" {
		if r.Unit == "" {
			b.unit = "Seluruh Perangkat Daerah"
		} else {
			b.unit = o.Letterhead.Unit
		}
	}
	from, to := firstNonBlank(FormatDateID(r.From), "-"), firstNonBlank(FormatDateID(r.To), "-")
	b.period = "Periode " + from + " s.d. " + to

	pct := func(n int) string { return percentID(n, r.Total) }
	b.summary = [][]string{
		{"Laporan diterima", fmtIntID(r.Total), ""},
		{"Ditanggapi", fmtIntID(r.Responded), pct(r.Responded)},
		{"Ditindaklanjuti", fmtIntID(r.FollowedUp), pct(r.FollowedUp)},
		{"Melewati batas waktu", fmtIntID(r.Overdue), pct(r.Overdue)},
		{"Jatuh tempo minggu ini", fmtIntID(r.DueThisWeek), ""},
		{"Rata-rata hari kerja sampai tanggapan pertama", daysID(r.AvgDaysToResponse, r.Responded), ""},
		{"Rata-rata hari kerja sampai tindak lanjut", daysID(r.AvgDaysToFollowUp, r.FollowedUp), ""},
	}
	b.sections = []rekapSection{
		{"Menurut status", mapRows(r.ByStatus, lapordesk.Statuses, statusLabels, r.Total)},
		{"Menurut hasil penanganan (kategori nasional SP4N-LAPOR!)", mapRows(r.ByOutcome, []lapordesk.Outcome{lapordesk.OutcomeFollowedUp, lapordesk.OutcomeInProcess, lapordesk.OutcomeNotProcessed, lapordesk.OutcomePostponed, lapordesk.OutcomeDeleted}, outcomeLabels, r.Total)},
		{"Menurut klasifikasi", mapRows(r.ByClassification, lapordesk.Classifications, classificationLabels, r.Total)},
		{"Menurut kanal", mapRows(r.ByChannel, lapordesk.Channels, channelLabels, r.Total)},
		{"Menurut kategori", countRows(r.ByCategory, r.Total, func(c lapordesk.Count) string { return firstNonBlank(c.Label, c.Key, "-") })},
		{"Menurut bulan", countRows(r.ByMonth, r.Total, monthLabel)},
	}
	for _, c := range r.ByMonth {
		b.months = append(b.months, bar{firstNonBlank(monthKeyShort(c.Key), c.Label), c.N})
	}
	b.cats = topBars(r.ByCategory, 10)

	c := letterContent(KindRekap, o, in.Number, in.Date, in.Training, nil)
	c.add("scope", b.unit)
	c.add("period", b.period)
	c.add("dateline", b.dateline)
	c.tuples("summary", b.summary)
	for i, s := range b.sections {
		key := "section." + strconv.Itoa(i)
		c.add(key, s.title)
		c.tuples(key+".row", s.rows)
	}
	c.tuples("chart.month", barRows(b.months))
	c.tuples("chart.category", barRows(b.cats))
	c.signer(o.Signer)
	l, err := c.finish(o)
	if err != nil {
		return nil, fmt.Errorf("rekap: %w", err)
	}
	return l, nil
}

func barRows(bars []bar) [][]string {
	rows := make([][]string, len(bars))
	for i, b := range bars {
		rows[i] = []string{b.label, strconv.Itoa(b.n)}
	}
	return rows
}

func decodeRekap(f contentFields, l *Letter) error {
	b := &rekapBody{number: l.Number, unit: f.get("scope"), period: f.get("period"), dateline: f.get("dateline")}
	var err error
	if b.summary, err = f.tuples("summary", 3); err != nil {
		return err
	}
	for i := 0; ; i++ {
		key := "section." + strconv.Itoa(i)
		if !f.has(key) {
			break
		}
		rows, err := f.tuples(key+".row", 3)
		if err != nil {
			return err
		}
		b.sections = append(b.sections, rekapSection{title: f.get(key), rows: rows})
	}
	for _, c := range []struct {
		key string
		to  *[]bar
	}{{"chart.month", &b.months}, {"chart.category", &b.cats}} {
		rows, err := f.tuples(c.key, 2)
		if err != nil {
			return err
		}
		for _, r := range rows {
			n, err := strconv.Atoi(r[1])
			if err != nil || n < 0 {
				return fmt.Errorf("letter content: %s: count %q: %w", c.key, shortName(r[1]), lapordesk.ErrInvalid)
			}
			*c.to = append(*c.to, bar{r[0], n})
		}
	}
	l.Title = "Rekapitulasi " + b.period
	l.body = b
	return nil
}

// monthLabel names a recap month in words, "November 2026", whatever label the
// store gave it (the store labels months by their key, "2026-11").
func monthLabel(c lapordesk.Count) string {
	if l := monthKeyID(c.Key); l != c.Key {
		return l
	}
	return firstNonBlank(c.Label, c.Key, "-")
}

func checkRecapCounts(r lapordesk.Recap) error {
	bad := func(field string, n int) error {
		return &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemRange, Value: strconv.Itoa(n)}
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"total", r.Total}, {"overdue", r.Overdue}, {"due_this_week", r.DueThisWeek}, {"responded", r.Responded}, {"followed_up", r.FollowedUp}} {
		if f.n < 0 {
			return bad(f.name, f.n)
		}
	}
	for _, list := range [][]lapordesk.Count{r.ByCategory, r.ByMonth} {
		if len(list) > maxRecapRows {
			return &lapordesk.FieldError{Field: "recap rows", Problem: lapordesk.ProblemTooLong, Limit: maxRecapRows, Length: len(list)}
		}
		for _, c := range list {
			if c.N < 0 {
				return bad(c.Key, c.N)
			}
		}
	}
	for _, m := range []map[string]int{asStringMap(r.ByStatus), asStringMap(r.ByOutcome), asStringMap(r.ByClassification), asStringMap(r.ByChannel)} {
		if len(m) > maxRecapRows {
			return &lapordesk.FieldError{Field: "recap rows", Problem: lapordesk.ProblemTooLong, Limit: maxRecapRows, Length: len(m)}
		}
		for k, n := range m {
			if n < 0 {
				return bad(k, n)
			}
		}
	}
	return nil
}

func asStringMap[K ~string](m map[K]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[string(k)] += v
	}
	return out
}

// mapRows lists a count map in the known order, then any unknown keys sorted (a recap
// from a newer hub may count statuses this build does not know).
func mapRows[K ~string](m map[K]int, order []K, labels map[K]string, total int) [][]string {
	var rows [][]string
	seen := map[K]bool{}
	for _, k := range order {
		seen[k] = true
		rows = append(rows, []string{labelOr(labels, k), fmtIntID(m[k]), percentID(m[k], total)})
	}
	var extra []string
	for k := range m {
		if !seen[k] {
			extra = append(extra, string(k))
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		rows = append(rows, []string{truncate(k, 200), fmtIntID(m[K(k)]), percentID(m[K(k)], total)})
	}
	return rows
}

func countRows(list []lapordesk.Count, total int, label func(lapordesk.Count) string) [][]string {
	var rows [][]string
	for _, c := range list {
		rows = append(rows, []string{truncate(label(c), 200), fmtIntID(c.N), percentID(c.N, total)})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"(tidak ada data)", "0", ""})
	}
	return rows
}

// topBars keeps the n largest categories and sums the rest as "Lainnya".
func topBars(list []lapordesk.Count, n int) []bar {
	s := append([]lapordesk.Count(nil), list...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].N > s[j].N })
	var out []bar
	rest := 0
	for i, c := range s {
		if i < n {
			out = append(out, bar{truncate(firstNonBlank(c.Label, c.Key, "-"), 60), c.N})
		} else {
			rest += c.N
		}
	}
	if rest > 0 {
		out = append(out, bar{"Lainnya", rest})
	}
	return out
}

// fmtIntID writes n with Indonesian thousands separators: 12.345.
func fmtIntID(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtDecID writes x with one decimal and a decimal comma: 12,5.
func fmtDecID(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.Atoi(whole)
	if err != nil {
		return strings.Replace(s, ".", ",", 1)
	}
	return fmtIntID(w) + "," + frac
}

func percentID(n, total int) string {
	if total <= 0 {
		return "-"
	}
	return fmtDecID(100*float64(n)/float64(total)) + "%"
}

func daysID(avg float64, over int) string {
	if over <= 0 || math.IsNaN(avg) || math.IsInf(avg, 0) || avg < 0 || avg > 1e6 {
		return "-"
	}
	return fmtDecID(avg) + " hari kerja (" + fmtIntID(over) + " laporan)"
}

func (b *rekapBody) draw(w *writer) {
	w.kop()
	w.font("B", 13)
	w.centered("REKAPITULASI PENGELOLAAN PENGADUAN MASYARAKAT")
	w.centered("MELALUI SP4N-LAPOR!")
	w.font("", 12)
	w.centered(b.unit)
	w.centered(b.period)
	if b.number != "" {
		w.font("", 11)
		w.centered("Nomor: " + b.number)
	}
	w.setY(w.y() + 3)

	letter := 'A'
	section := func(title string) {
		w.font("B", 12)
		w.ensure(4 * w.lh())
		w.cell(w.x0, w.width(), fmt.Sprintf("%c. %s", letter, title), "L")
		w.setY(w.y() + w.lh()*1.2)
		letter++
	}
	section("Ringkasan")
	w.table([]string{"Uraian", "Jumlah", "%"}, []float64{0.55, 0.32, 0.13}, "LRR", b.summary)
	for _, s := range b.sections {
		w.setY(w.y() + 3)
		section(s.title)
		w.table([]string{"Uraian", "Jumlah", "%"}, []float64{0.62, 0.23, 0.15}, "LRR", s.rows)
		switch s.title {
		case "Menurut kategori":
			if len(b.cats) > 0 {
				w.setY(w.y() + 2)
				w.hbars("Grafik kategori terbanyak", b.cats)
			}
		case "Menurut bulan":
			if len(b.months) > 0 {
				w.setY(w.y() + 2)
				w.vbars("Grafik jumlah laporan per bulan", b.months)
			}
		}
	}
	w.setY(w.y() + 6)
	w.signature(w.x0+w.width()*0.5, w.x0, signatureBlock{dateline: b.dateline})
}

// table draws a bordered table with a shaded header, repeated on each new page.
func (w *writer) table(header []string, frac []float64, aligns string, rows [][]string) {
	w.font("", 10.5)
	lh := w.lh()
	pad := 1.0
	widths := make([]float64, len(frac))
	for i, f := range frac {
		widths[i] = f * w.width()
	}
	drawRow := func(cells []string, bold, shade bool, cellLines [][]string, h float64) {
		x := w.x0
		y := w.y()
		if bold {
			w.pdf.SetFont(family, "B", w.pt*w.scale)
		}
		if shade {
			w.pdf.SetFillColor(225, 225, 225)
		}
		for i := range cells {
			style := "D"
			if shade {
				style = "FD"
			}
			w.pdf.Rect(x, y, widths[i], h, style)
			for j, line := range cellLines[i] {
				w.setY(y + pad + float64(j)*lh)
				w.cell(x+1.5, widths[i]-3, line, string(aligns[i]))
			}
			x += widths[i]
		}
		w.pdf.SetFont(family, w.style, w.pt*w.scale)
		w.setY(y + h)
	}
	layout := func(cells []string) ([][]string, float64) {
		out := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			out[i] = w.wrap(w.clean(c), widths[i]-3)
			n = max(n, len(out[i]))
		}
		return out, float64(n)*lh + 2*pad
	}
	hl, hh := layout(header)
	head := func() { drawRow(header, true, true, hl, hh) }
	w.ensure(hh + lh + 2*pad)
	head()
	for _, row := range rows {
		cl, h := layout(row)
		if w.y()+h > w.yMax {
			w.newPage()
			head()
		}
		drawRow(row, false, false, cl, h)
	}
}

// vbars draws a vertical bar chart (counts by month) across the text area.
func (w *writer) vbars(caption string, bars []bar) {
	const chartH = 55.0
	w.font("", 8)
	lh := w.lh()
	w.ensure(chartH + 3*lh + 6)
	w.chartCaption(caption)
	w.font("", 8)
	top := w.y()
	axisW := 10.0
	x0, x1 := w.x0+axisW, w.x1
	y0, y1 := top+lh, top+chartH // plot area: y1 is the baseline
	maxN := 0
	for _, b := range bars {
		maxN = max(maxN, b.n)
	}
	scaleMax, step := niceScale(maxN)
	w.pdf.SetDrawColor(190, 190, 190)
	w.pdf.SetLineWidth(0.1)
	for v := 0; v <= scaleMax; v += step {
		y := y1 - (y1-y0)*float64(v)/float64(scaleMax)
		w.pdf.Line(x0, y, x1, y)
		w.setY(y - lh/2)
		w.cell(w.x0, axisW-1.5, fmtIntID(v), "R")
	}
	w.pdf.SetDrawColor(0, 0, 0)
	w.pdf.SetLineWidth(0.3)
	w.pdf.Line(x0, y1, x1, y1)
	w.pdf.SetLineWidth(0.2)
	slot := (x1 - x0) / float64(len(bars))
	bw := slot * 0.65
	// Label every k-th bar when they are too narrow for their labels.
	labelW := 0.0
	for _, b := range bars {
		labelW = max(labelW, w.strWidth(w.clean(b.label)))
	}
	k := 1
	for slot*float64(k) < min(labelW, 25)+1.5 {
		k++
	}
	w.pdf.SetFillColor(60, 100, 150)
	for i, b := range bars {
		x := x0 + slot*float64(i) + (slot-bw)/2
		h := (y1 - y0) * float64(b.n) / float64(scaleMax)
		if h > 0 {
			w.pdf.Rect(x, y1-h, bw, h, "F")
		}
		if slot >= w.strWidth(fmtIntID(b.n))+0.5 {
			w.setY(y1 - h - lh)
			w.cell(x-(slot-bw)/2, slot, fmtIntID(b.n), "C")
		}
		if i%k == 0 {
			w.setY(y1 + 0.5)
			w.cell(x+bw/2-slot*float64(k)/2, slot*float64(k), w.fitEllipsis(w.clean(b.label), slot*float64(k)), "C")
		}
	}
	w.setY(y1 + lh + 2)
}

// hbars draws a horizontal bar chart (largest categories) across the text area.
func (w *writer) hbars(caption string, bars []bar) {
	w.font("", 9)
	lh := w.lh()
	w.ensure(min(float64(len(bars))*lh*1.3+8, w.yMax-w.m.Top-10))
	w.chartCaption(caption)
	w.font("", 9)
	labelW := w.width() * 0.38
	x0, x1 := w.x0+labelW+2, w.x1-12
	maxN := 1
	for _, b := range bars {
		maxN = max(maxN, b.n)
	}
	w.pdf.SetFillColor(60, 100, 150)
	for _, b := range bars {
		w.ensure(lh * 1.3)
		y := w.y()
		w.cell(w.x0, labelW, w.fitEllipsis(w.clean(b.label), labelW), "R")
		bl := (x1 - x0) * float64(b.n) / float64(maxN)
		if bl > 0 {
			w.pdf.Rect(x0, y+lh*0.15, bl, lh*0.7, "F")
		}
		w.cell(x0+bl+1, 11, fmtIntID(b.n), "L")
		w.pdf.SetLineWidth(0.3)
		w.pdf.Line(x0, y, x0, y+lh*1.3)
		w.pdf.SetLineWidth(0.2)
		w.setY(y + lh*1.3)
	}
}

// chartCaption writes a chart's title in italics, centred.
func (w *writer) chartCaption(text string) {
	w.font("I", 10)
	w.cell(w.x0, w.width(), text, "C")
	w.setY(w.y() + w.lh()*1.3)
}

// niceScale returns an axis maximum of at least n and a round step between gridlines.
func niceScale(n int) (top, step int) {
	if n <= 0 {
		return 1, 1
	}
	raw := float64(n) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = int(mag)
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = int(m * mag)
			break
		}
	}
	step = max(step, 1)
	top = (n + step - 1) / step * step
	return top, step
}
