package exchange

import (
	"errors"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// FieldLabel names a field for the user: the form's word for it, else the column
// header an export gives it.
func FieldLabel(f string) string {
	if t := i18n.T("field." + f); t != "field."+f {
		return t
	}
	return i18n.T("exchange.col." + f)
}

// Message explains a problem in the user's language, with where it is: "Baris 5,
// kolom C (Tanggal): tanggal "31/02/2026" tidak mungkin ada".
func Message(p Problem) string {
	where := ""
	col := ColumnName(p.Column)
	switch {
	case p.Row > 0 && p.Column > 0:
		where = i18n.Tf("exchange.where.cell", "Row", p.Row, "Column", col, "Header", p.Header)
	case p.Row > 0:
		where = i18n.Tf("exchange.where.row", "Row", p.Row)
	case p.Column > 0:
		where = i18n.Tf("exchange.where.column", "Column", col, "Header", p.Header)
	}
	what := problemText(p)
	if where == "" {
		return what
	}
	return where + ": " + what
}

func problemText(p Problem) string {
	var fe *lapordesk.FieldError
	if errors.As(p.Err, &fe) {
		return i18n.FieldError(fe)
	}
	if p.Err != nil && p.Code == "invalid" {
		return i18n.Error(p.Err)
	}
	value := p.Value
	switch p.Code {
	case ProblemStatusDate:
		value = i18n.Status(lapordesk.Status(p.Value))
	case ProblemNotApplied:
		if lapordesk.Anonim.Withholds(p.Field) { // refused because the report is Anonim
			return i18n.T("exchange.problem.not_applied_identity")
		}
		if p.Field == FieldStatus {
			value = i18n.Status(lapordesk.Status(p.Value))
		}
	}
	key := "exchange.problem." + p.Code
	if t := i18n.T(key, map[string]any{"Value": value, "Field": FieldLabel(p.Field), "Header": p.Header, "Other": p.Other}); t != key {
		return t
	}
	// A domain problem code (required, unknown_value, ...) about a field.
	return i18n.FieldError(&lapordesk.FieldError{Field: p.Field, Problem: p.Code, Value: p.Value})
}

// Describe explains an error of this package (a refused file, a problem) in the
// user's language, and any other error as i18n.Error does.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var fe *FileError
	if errors.As(err, &fe) {
		detail := fe.Detail
		if fe.Code == FileEmpty || fe.Code == FileDamaged {
			if detail != "" {
				detail = "(" + detail + ")"
			}
		}
		msg := i18n.T("exchange.file."+fe.Code, map[string]any{"File": fe.File, "Detail": detail})
		if fe.File == "" {
			msg = strings.TrimPrefix(msg, ": ")
		}
		return strings.TrimSpace(msg)
	}
	var p Problem
	if errors.As(err, &p) {
		return Message(p)
	}
	if errors.Is(err, ErrStalePreview) {
		return i18n.T("exchange.stale_preview")
	}
	return i18n.Error(err)
}
