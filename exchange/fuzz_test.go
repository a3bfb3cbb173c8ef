package exchange

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzReadCSV: whatever the bytes, reading them either refuses the file with a
// FileError or gives rows of valid UTF-8 within the limits, in file order, below
// the header.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"Judul,Isi Laporan\r\nJalan rusak,Berlubang\r\n",
		"\xEF\xBB\xBFJudul;Isi Laporan;Tanggal\nA;\"multi\nline\";27/11/2026\n",
		"Judul\tIsi\nA\tB\n",
		"\xFF\xFEJ\x00u\x00d\x00u\x00l\x00\n\x00",
		"Judul,Isi\r\nCaf\xe9,\x96\r\n",
		"\"unterminated,quote\nx,y\n",
		"a,b\n'=cmd,'+1\n",
		"",
		"PK\x03\x04garbage",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	lim := Limits{MaxRows: 50, MaxColumns: 20, MaxCellBytes: 1 << 16, MaxFileBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tab, err := Read(context.Background(), path, ReadOptions{Limits: lim})
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if tab.HeaderRow < 1 || len(tab.Rows) == 0 || len(tab.Rows) > lim.MaxRows {
			t.Fatalf("header row %d, %d rows", tab.HeaderRow, len(tab.Rows))
		}
		prev := tab.HeaderRow
		for _, r := range tab.Rows {
			if r.N <= prev {
				t.Fatalf("row %d after row %d", r.N, prev)
			}
			prev = r.N
			if len(r.Cells) == 0 || len(r.Cells) > lim.MaxColumns {
				t.Fatalf("row %d has %d cells", r.N, len(r.Cells))
			}
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("row %d: invalid UTF-8 %q", r.N, c)
				}
			}
		}
	})
}

// FuzzScanSheet: the byte-level worksheet scan never panics and never counts past
// its limit, whatever the XML.
func FuzzScanSheet(f *testing.F) {
	for _, s := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>SUM(A1)</f><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A2:B3"/></mergeCells></worksheet>`,
		`<x:worksheet xmlns:x="x"><x:sheetData><x:row><x:c><x:f/></x:c></x:row><x:row/></x:sheetData></x:worksheet>`,
		`<?xml version="1.0"?><!-- <row> --><![CDATA[<row>]]><row r='3' spans="1:2"><c r='ZZ3'/></row>`,
		`<row r="99999999999999999999">`, `<c r="A0">`, `<mergeCell ref="XFE1:A1"/>`, `<row attr=">"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scanSheet(bytes.NewReader(data), 100)
		if err != nil {
			return
		}
		if s.rows > 100 || s.maxRow > 100 {
			t.Fatalf("counted %d rows up to %d past the limit", s.rows, s.maxRow)
		}
		for _, m := range s.merged {
			if m.From.Row > m.To.Row || m.From.Col > m.To.Col {
				t.Fatalf("range %+v", m)
			}
		}
	})
}
