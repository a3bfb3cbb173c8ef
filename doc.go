// Package lapordesk is the domain of LAPOR Desk: citizens' reports (laporan) from
// SP4N-LAPOR! as handled by a regional work unit (SKPD), their append-only event
// history, the status machine, the working-day calendar and the deadlines that follow
// from it.
//
// The package is plain Go with no I/O. The current state of a report is derived from
// its events alone (Replay); commands are checked against that state (Decide) before
// any event is written. Storage, sync, the GUI and letters live in sub-packages and
// depend on this one, never the other way round.
package lapordesk
