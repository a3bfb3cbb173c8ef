package lapordesk

import "strings"

// DefaultInstructions are the usual "Dengan hormat harap" choices of a disposition:
// the form offers them as checkboxes and the lembar disposisi prints them, ticked
// where chosen, until the unit sets its own list. They are official text, so they
// stay in Indonesian whatever the interface language.
func DefaultInstructions() []string {
	return []string{
		"Tanggapan dan saran",
		"Proses lebih lanjut",
		"Koordinasikan/konfirmasikan",
		"Untuk ditindaklanjuti",
		"Siapkan jawaban",
		"Untuk diketahui",
		"Bicarakan dengan saya",
		"Simpan/arsipkan",
	}
}

// InstructionChoices is the list a disposition offers: the unit's own (blank lines
// and repeats dropped), or DefaultInstructions when it has none.
func InstructionChoices(own []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range own {
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	if len(out) == 0 {
		return DefaultInstructions()
	}
	return out
}
