package letter

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jung-kurt/gofpdf"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
)

const batchSize = 1000

// BenchmarkFollowUpBatch1000 prints 1000 surat tindak lanjut into one PDF, as a unit
// printing a month's letters at once: building each letter (template, masking, code)
// and laying it out with letterhead, QR code and signature. The baseline, measured in
// the same iterations, is gofpdf alone writing the same body text on 1000 pages with
// the same fonts; baseline_ratio is how many times longer the letters take.
func BenchmarkFollowUpBatch1000(b *testing.B) {
	o := sampleOffice(b)
	v := sampleView(b, sampleFollowUp)
	body := sampleFollowUp
	var letterTime, baseTime time.Duration
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		d, err := NewDocument()
		if err != nil {
			b.Fatal(err)
		}
		for j := 1; j <= batchSize; j++ {
			l, err := FollowUp(o, v, FollowUpInput{Number: fmt.Sprintf("000.1.4/%03d/DISKOMINFO/XI/2026", j), Date: sampleDate})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := d.Add(l); err != nil {
				b.Fatal(err)
			}
		}
		n, err := d.WriteTo(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		letterTime += time.Since(t0)
		size = n

		b.StopTimer()
		t0 = time.Now()
		baseline(b, body)
		baseTime += time.Since(t0)
		b.StartTimer()
	}
	b.ReportMetric(float64(batchSize*b.N)/letterTime.Seconds(), "letters/s")
	b.ReportMetric(float64(size)/batchSize, "bytes/letter")
	b.ReportMetric(letterTime.Seconds()/baseTime.Seconds(), "baseline_ratio")
}

// baseline writes body on batchSize pages with plain gofpdf and the embedded fonts.
func baseline(b *testing.B, body string) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	for _, f := range []struct{ style, name string }{{"", assets.FontSerifRegular}, {"B", assets.FontSerifBold}, {"I", assets.FontSerifItalic}} {
		font, err := assets.Font(f.name)
		if err != nil {
			b.Fatal(err)
		}
		pdf.AddUTF8FontFromBytes(family, f.style, font)
	}
	pdf.SetMargins(30, 20, 20)
	for j := 1; j <= batchSize; j++ {
		pdf.AddPage()
		pdf.SetFont(family, "B", 14)
		pdf.CellFormat(0, 8, fmt.Sprintf("Nomor 000.1.4/%03d/DISKOMINFO/XI/2026", j), "", 1, "C", false, 0, "")
		pdf.SetFont(family, "", 12)
		pdf.MultiCell(0, 6, body, "", "J", false)
	}
	if err := pdf.Output(io.Discard); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFollowUpSingle prints one letter per PDF, as the desk does when the user
// prints a single letter: it includes loading the fonts for each document.
func BenchmarkFollowUpSingle(b *testing.B) {
	o := sampleOffice(b)
	v := sampleView(b, sampleFollowUp)
	in := FollowUpInput{Number: sampleNumber, Date: lapordesk.NewDate(2026, 11, 27)}
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := FollowUp(o, v, in)
		if err != nil {
			b.Fatal(err)
		}
		d, err := NewDocument()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Add(l); err != nil {
			b.Fatal(err)
		}
		if size, err = d.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size), "bytes/letter")
}

// BenchmarkPrintThroughStore prints surat tindak lanjut as the desk does: Print
// loads the settings and the logo file, reads the report, checks and builds the
// letter, allocates its number in the store's transaction and records it, and writes
// the PDF; then a reprint lays the recorded letter out again. The baseline, measured
// in the same iterations, is rendering the same letter alone (Render), so
// first_print_ratio and reprint_ratio are what the store's part costs on top.
func BenchmarkPrintThroughStore(b *testing.B) {
	s, _ := desk(b)
	configure(b, s)
	ids := make([]uuid.UUID, b.N)
	for i := range ids {
		ids[i] = handled(b, s, report(fmt.Sprintf("Laporan nomor %d", i)))
	}
	var first, again, base time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := Request{ReportID: ids[i], Kind: KindTindakLanjut}
		t0 := time.Now()
		p, err := Print(bg, s, req, io.Discard)
		if err != nil || p.Reprint {
			b.Fatal(err)
		}
		first += time.Since(t0)
		t0 = time.Now()
		if _, err := Print(bg, s, req, io.Discard); err != nil {
			b.Fatal(err)
		}
		again += time.Since(t0)

		b.StopTimer()
		l, err := LetterFromRecord(p.Record, sampleOffice(b).Letterhead.Logo)
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		if _, err := Render(io.Discard, l); err != nil {
			b.Fatal(err)
		}
		base += time.Since(t0)
		b.StartTimer()
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms/first_print")
	b.ReportMetric(float64(again.Milliseconds())/float64(b.N), "ms/reprint")
	b.ReportMetric(first.Seconds()/base.Seconds(), "first_print_ratio")
	b.ReportMetric(again.Seconds()/base.Seconds(), "reprint_ratio")
}
