package storage

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/lapordesk/lapordesk"
)

// nextAgenda allocates this desk's next agenda number for the year of at, e.g.
// DINKES-2026-00042 (see refData.agendaPrefix): the number is the registering desk's,
// whichever unit the report is for. Counters are per prefix and year, gap-free on
// one desk; numbers already taken here (an import, a report synced before desks
// had their own prefix) are skipped, or the duplicate check would refuse every
// later receipt.
func nextAgenda(t *wtx, ref *refData, unit string, at time.Time) (string, error) {
	year := lapordesk.DateOf(at, ref.cal.Location).Year
	if p := ref.agendaPrefix(); p != "" {
		unit = p
	}
	for {
		seq, err := nextCounter(t, "agenda:"+unit, year)
		if err != nil {
			return "", err
		}
		no := fmt.Sprintf("%s-%d-%05d", unit, year, seq)
		var n int
		if err := t.QueryRow("SELECT count(*) FROM reports WHERE agenda_no = ?", no).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return no, nil
		}
	}
}

var reAgenda = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.\-]{0,31})-(\d{4})-(\d{1,9})$`)

// claimAgenda moves a unit's agenda counter past an agenda number given explicitly
// in this program's own form (an import, a paper register typed in), so the next
// number allocated never collides with it.
func claimAgenda(t *wtx, agenda string) error {
	m := reAgenda.FindStringSubmatch(agenda)
	if m == nil {
		return nil
	}
	year, _ := strconv.Atoi(m[2])
	seq, _ := strconv.Atoi(m[3])
	_, err := t.Exec(`INSERT INTO counters (name, year, value) VALUES (?, ?, ?)
		ON CONFLICT (name, year) DO UPDATE SET value = max(value, excluded.value)`, "agenda:"+m[1], year, seq)
	if err != nil {
		return fmt.Errorf("agenda counter %s: %w", agenda, err)
	}
	return nil
}

// nextCounter increments and returns the counter name for year.
func nextCounter(t *wtx, name string, year int) (int, error) {
	var v int
	err := t.QueryRow(`INSERT INTO counters (name, year, value) VALUES (?, ?, 1)
		ON CONFLICT (name, year) DO UPDATE SET value = value + 1 RETURNING value`, name, year).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("counter %s/%d: %w", name, year, err)
	}
	return v, nil
}
