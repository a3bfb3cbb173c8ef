package letter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/lapordesk/lapordesk"
)

// Letter is one letter ready to print: its fields resolved from the report and the
// office settings, masked, checked, and hashed into its verification code. Build it
// with FollowUp, Disposisi or Rekap; print it with a Document or Render.
type Letter struct {
	Kind     Kind
	Number   string         // the letter number as printed; may be empty (recap)
	Date     lapordesk.Date // the date on the letter
	Training bool           // printed with the SPECIMEN - LATIHAN watermark
	Code     string         // verification code, "K7Q2M-XH4TA"
	Title    string         // document title, for the PDF metadata
	ReportID string         // the report's UUID; empty for a recap
	Ref      string         // the report's reference (LAPOR! ID or agenda number)

	office  Office
	rahasia bool
	half    bool // half-sheet disposition form
	content string
	body    interface{ draw(*writer) }
}

// Content returns the letter's canonical content, from which Code is derived and
// from which the letter is laid out; the store records it (LetterRecord.Content).
func (l *Letter) Content() string { return l.content }

// Record returns the letter's record for the store: everything but the running
// number and year, which the store sets.
func (l *Letter) Record() lapordesk.LetterRecord {
	return lapordesk.LetterRecord{Kind: string(l.Kind), Number: l.Number, Training: l.Training, Code: l.Code, Date: l.Date, Content: l.content}
}

// Info describes one letter placed in a document.
type Info struct {
	Kind      Kind
	Number    string
	Code      string
	FirstPage int // 1-based page of the document where the letter starts
	Pages     int
	// Substituted counts characters printed as □ because the fonts have no glyph for
	// them (e.g. Chinese script in a report); the user may want to know before signing.
	Substituted int
}

// Document is a PDF of one or more letters, each starting on a new page, as a batch is
// printed. The fonts are loaded once per document. A Document is used by one
// goroutine at a time; separate documents may be built in parallel.
type Document struct {
	pdf    *gofpdf.Fpdf
	fonts  *fontSet
	logos  map[[32]byte]logoRef
	png    png.Encoder // reuses its deflater across the batch's QR codes
	infos  []Info
	failed error
	dated  bool
}

type logoRef struct {
	name   string
	aspect float64
}

// NewDocument starts an empty document with the embedded fonts.
func NewDocument() (*Document, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: gofpdf.SizeType{Wd: 210, Ht: 297}})
	pdf.SetAutoPageBreak(false, 0) // the writer breaks pages itself, to keep blocks whole
	pdf.SetCellMargin(0)
	pdf.SetCatalogSort(true) // same input, same bytes
	pdf.SetCreator("LAPOR Desk", true)
	pdf.SetProducer("LAPOR Desk (gofpdf)", true)
	pdf.AddUTF8FontFromBytes(family, "", fonts.regular)
	pdf.AddUTF8FontFromBytes(family, "B", fonts.bold)
	pdf.AddUTF8FontFromBytes(family, "I", fonts.italic)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("letter fonts: %w", err)
	}
	return &Document{pdf: pdf, fonts: fonts, logos: map[[32]byte]logoRef{}, png: png.Encoder{BufferPool: &pngPool{}}}, nil
}

// Add appends a letter on new pages. Its resources (logo, QR code) are prepared
// before anything is drawn, so a letter that fails adds nothing; an error inside the
// PDF library, which cannot be undone, makes the whole document fail.
func (d *Document) Add(l *Letter) (Info, error) {
	if d.failed != nil {
		return Info{}, d.failed
	}
	if l == nil || l.body == nil {
		return Info{}, fmt.Errorf("add letter: empty letter: %w", lapordesk.ErrInvalid)
	}
	logo, err := d.logo(l.office.Letterhead.Logo)
	if err != nil {
		return Info{}, fmt.Errorf("%s letter %s: %w", l.Kind, l.Number, err)
	}
	qr, err := d.qr(l)
	if err != nil {
		return Info{}, fmt.Errorf("%s letter %s: %w", l.Kind, l.Number, err)
	}
	w, err := newWriter(d, l, logo, qr)
	if err != nil {
		return Info{}, err
	}
	if !d.dated && !l.Date.IsZero() {
		// The document's dates are its first letter's, so a reprint is byte-identical
		// (gofpdf would otherwise stamp the time of writing as the modification date).
		day := l.Date.Time(time.UTC).Add(12 * time.Hour)
		d.pdf.SetCreationDate(day)
		d.pdf.SetModificationDate(day)
		d.pdf.SetTitle(l.Title, true)
		d.dated = true
	}
	if err := w.run(); err != nil {
		d.failed = err
		return Info{}, err
	}
	info := Info{Kind: l.Kind, Number: l.Number, Code: l.Code, FirstPage: w.page0, Pages: d.pdf.PageNo() - w.page0 + 1, Substituted: w.subst}
	d.infos = append(d.infos, info)
	return info, nil
}

// Letters describes the letters added so far.
func (d *Document) Letters() []Info { return append([]Info(nil), d.infos...) }

// WriteTo writes the PDF. A document with no letters is an error: it would print a
// blank page.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	if d.failed != nil {
		return 0, d.failed
	}
	if len(d.infos) == 0 {
		return 0, fmt.Errorf("write letters: no letter in the document: %w", lapordesk.ErrInvalid)
	}
	cw := &countWriter{w: w}
	if err := d.pdf.Output(cw); err != nil {
		d.failed = fmt.Errorf("write letters: %w", err)
		return cw.n, d.failed
	}
	d.failed = errors.New("write letters: document already written")
	return cw.n, nil
}

// pngPool keeps one encoder buffer for the document's QR codes (one goroutine).
type pngPool struct{ b *png.EncoderBuffer }

func (p *pngPool) Get() *png.EncoderBuffer  { b := p.b; p.b = nil; return b }
func (p *pngPool) Put(b *png.EncoderBuffer) { p.b = b }

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Render prints letters into one PDF on w.
func Render(w io.Writer, letters ...*Letter) ([]Info, error) {
	d, err := NewDocument()
	if err != nil {
		return nil, err
	}
	for _, l := range letters {
		if _, err := d.Add(l); err != nil {
			return nil, err
		}
	}
	if _, err := d.WriteTo(w); err != nil {
		return nil, err
	}
	return d.Letters(), nil
}

// logo registers a letterhead logo once per document.
func (d *Document) logo(b []byte) (logoRef, error) {
	if len(b) == 0 {
		return logoRef{}, nil
	}
	key := sha256.Sum256(b)
	if ref, ok := d.logos[key]; ok {
		return ref, nil
	}
	png, aspect, err := normalizeLogo(b)
	if err != nil {
		return logoRef{}, fmt.Errorf("letterhead %w", err)
	}
	ref := logoRef{name: "logo-" + hex.EncodeToString(key[:8]), aspect: aspect}
	d.pdf.RegisterImageOptionsReader(ref.name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	if err := d.pdf.Error(); err != nil {
		d.failed = fmt.Errorf("letterhead logo: %w", err)
		return logoRef{}, d.failed
	}
	d.logos[key] = ref
	return ref, nil
}

// qr registers the letter's QR code image and returns its name.
func (d *Document) qr(l *Letter) (string, error) {
	q, err := qrcode.New(qrPayload(l), qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	// One grey pixel per module: the PDF scales it. The library's own PNG writer
	// sets up a best-compression deflater per letter (a third of a batch's time), and
	// a palette image makes gofpdf set up another one for its six-byte palette.
	bits := q.Bitmap()
	img := image.NewGray(image.Rect(0, 0, len(bits), len(bits)))
	for y, row := range bits {
		for x, on := range row {
			if !on {
				img.Pix[y*img.Stride+x] = 0xff
			}
		}
	}
	var buf bytes.Buffer
	if err := d.png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	png := buf.Bytes()
	name := fmt.Sprintf("qr-%d-%s", len(d.infos), l.Code)
	d.pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	if err := d.pdf.Error(); err != nil {
		d.failed = fmt.Errorf("QR code: %w", err)
		return "", d.failed
	}
	return name, nil
}

// qrPayload is what the QR code holds: the configured verification URL with the code,
// or the kind, number and code as text that a verifier can type or scan.
func qrPayload(l *Letter) string {
	if u := l.office.Settings.VerifyURL; u != "" {
		return strings.ReplaceAll(u, "{kode}", l.Code)
	}
	p := "LAPORDESK|" + string(l.Kind) + "|" + l.Number + "|" + l.Code
	if l.Training {
		p += "|LATIHAN"
	}
	return p
}
