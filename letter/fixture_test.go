package letter

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

// The fixtures build reports the way the desk does, through the domain's Receive,
// Decide and Replay, so the letters are tested on real histories.

var wita = time.FixedZone("WITA", 8*3600)

// at is a time in Barru's zone.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, wita) }

type reportOpt func(*lapordesk.NewReport)

func anonim(n *lapordesk.NewReport)  { n.Confidentiality = lapordesk.Anonim }
func rahasia(n *lapordesk.NewReport) { n.Confidentiality = lapordesk.Rahasia }

// sampleView returns a report received on 2 November 2026, verified, disposed to
// DISKOMINFO on 4 November with two instructions and a note, and followed up on
// 20 November; the view is masked as the store hands it out.
func sampleView(t testing.TB, followUp string, opts ...reportOpt) lapordesk.View {
	t.Helper()
	n := lapordesk.NewReport{
		TrackingID:      "4012345",
		AgendaNo:        "AG-2026-0117",
		Classification:  lapordesk.Pengaduan,
		CategoryID:      "infrastruktur",
		Title:           "Lampu jalan padam di Jalan Sultan Hasanuddin",
		Body:            "Sudah dua minggu lampu jalan di depan pasar sentral padam, warga khawatir.",
		IncidentDate:    lapordesk.NewDate(2026, 10, 30),
		Location:        lapordesk.Location{Kecamatan: "Barru", Desa: "Sumpang Binangae", Detail: "depan Pasar Sentral"},
		Channel:         lapordesk.ChannelWebsite,
		Reporter:        lapordesk.Reporter{Name: "Andi Baso Mappatoba", Phone: "081234567890", Email: "andi.baso@example.id", IDNumber: "7311012345678901"},
		Confidentiality: lapordesk.Biasa,
		Unit:            "KOORD",
	}
	for _, o := range opts {
		o(&n)
	}
	events := receive(t, n, at(2026, 11, 2, 9, 15))
	events = decide(t, events, lapordesk.Command{Action: lapordesk.ActVerify, Actor: "admin", Unit: "KOORD"}, at(2026, 11, 3, 10, 0))
	events = decide(t, events, lapordesk.Command{Action: lapordesk.ActDispose, Actor: "admin", Unit: "KOORD", ToUnit: "DISKOMINFO",
		Instructions: []string{"Proses lebih lanjut", "Koordinasikan/konfirmasikan"},
		Text:         "Mohon segera ditangani dan dilaporkan hasilnya paling lambat 5 hari kerja."}, at(2026, 11, 4, 8, 30))
	if followUp != "" {
		events = decide(t, events, lapordesk.Command{Action: lapordesk.ActFollowUp, Actor: "admin", Unit: "DISKOMINFO", Text: followUp}, at(2026, 11, 20, 14, 0))
	}
	r, err := lapordesk.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	masked := make([]lapordesk.Event, len(events))
	for i, e := range events {
		masked[i] = e.ForDisplay(r.Confidentiality)
	}
	return lapordesk.View{Report: r.ForDisplay(), Category: "Infrastruktur › Penerangan Jalan", History: masked}
}

func receive(t testing.TB, n lapordesk.NewReport, now time.Time) []lapordesk.Event {
	t.Helper()
	e, err := lapordesk.Receive(n, "admin", now)
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return []lapordesk.Event{e}
}

func decide(t testing.TB, events []lapordesk.Event, cmd lapordesk.Command, now time.Time) []lapordesk.Event {
	t.Helper()
	r, err := lapordesk.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	e, err := lapordesk.Decide(r, cmd, now)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Action, err)
	}
	return append(events, e)
}

const sampleFollowUp = "Tim teknis Dinas telah memeriksa jaringan penerangan jalan pada tanggal 18 November 2026. " +
	"Kerusakan terjadi pada panel kontrol; panel telah diganti dan 14 titik lampu kembali menyala sejak 19 November 2026.\n\n" +
	"Pemeliharaan rutin akan dilakukan setiap bulan bersama PT PLN (Persero) UP3 Parepare."

// sampleOffice is Diskominfo Kabupaten Barru with a generated logo.
func sampleOffice(t testing.TB) Office {
	t.Helper()
	return Office{
		Letterhead: Letterhead{
			Pemda:   "Kabupaten Barru",
			Unit:    "Dinas Komunikasi dan Informatika",
			Address: "Jalan Sultan Hasanuddin No. 1, Barru 90711",
			Phone:   "(0427) 21001",
			Email:   "diskominfo@barrukab.go.id",
			Website: "diskominfo.barrukab.go.id",
			Logo:    testLogo(t),
			Paper:   PaperA4,
		},
		Settings: Settings{
			ClassificationCode: "000.1.4",
			UnitCode:           "DISKOMINFO",
			Place:              "Barru",
			Tembusan:           []string{"Yth. Bupati Barru (sebagai laporan)", "Yth. Inspektur Kabupaten Barru"},
			Recipients: []lapordesk.Unit{
				{Code: "SEKRETARIS", Name: "Sekretaris"},
				{Code: "DISKOMINFO", Name: "Kepala Dinas Komunikasi dan Informatika"},
				{Code: "PUPR", Name: "Kepala Dinas PUPR"},
			},
			Location: wita,
		},
		Signer: Signer{
			Jabatan: "Kepala Dinas Komunikasi dan Informatika",
			Name:    "Dr. Hj. Nurul Fadhilah Ahmad, S.Sos., M.Si.",
			Pangkat: "Pembina Utama Muda (IV/c)",
			NIP:     "197501012000032002",
		},
	}
}

// testLogo draws a small emblem: a green shield with a yellow disc, on transparency.
func testLogo(t testing.TB) []byte {
	t.Helper()
	const w, h = 120, 140
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			inShield := y < 90 || math.Abs(float64(x-w/2)) < float64(h-y)*1.2
			if !inShield {
				continue
			}
			c := color.NRGBA{0, 110, 60, 255}
			if math.Hypot(float64(x-w/2), float64(y-60)) < 30 {
				c = color.NRGBA{240, 200, 0, 255}
			}
			if x < 4 || x >= w-4 || y < 4 {
				c = color.NRGBA{200, 0, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleRecap is a year of Diskominfo's figures.
func sampleRecap() lapordesk.Recap {
	months := []lapordesk.Count{}
	ns := []int{12, 18, 9, 22, 31, 27, 15, 19, 24, 40, 35, 11}
	total := 0
	for i, n := range ns {
		months = append(months, lapordesk.Count{Key: fmt.Sprintf("2026-%02d", i+1), N: n})
		total += n
	}
	return lapordesk.Recap{
		From: lapordesk.NewDate(2026, 1, 1), To: lapordesk.NewDate(2026, 12, 31), Unit: "DISKOMINFO",
		Total: total,
		ByStatus: map[lapordesk.Status]int{lapordesk.StatusNew: 8, lapordesk.StatusDisposed: 20, lapordesk.StatusInProgress: 30,
			lapordesk.StatusFollowedUp: 60, lapordesk.StatusClosed: 130, lapordesk.StatusArchived: 15, lapordesk.StatusPostponed: 1},
		ByOutcome: map[lapordesk.Outcome]int{lapordesk.OutcomeFollowedUp: 190, lapordesk.OutcomeInProcess: 50, lapordesk.OutcomeNotProcessed: 8,
			lapordesk.OutcomePostponed: 1, lapordesk.OutcomeDeleted: 15},
		ByClassification: map[lapordesk.Classification]int{lapordesk.Pengaduan: 180, lapordesk.Aspirasi: 60, lapordesk.PermintaanInformasi: 24},
		ByChannel:        map[lapordesk.Channel]int{lapordesk.ChannelWebsite: 120, lapordesk.ChannelMobileApp: 90, lapordesk.ChannelSMS: 30, lapordesk.ChannelWalkIn: 24},
		ByCategory: []lapordesk.Count{{Key: "infrastruktur", Label: "Infrastruktur", N: 88}, {Key: "kominfo", Label: "Komunikasi dan Informatika", N: 61},
			{Key: "adminduk", Label: "Administrasi Kependudukan", N: 40}, {Key: "kesehatan", Label: "Kesehatan", N: 35}, {Key: "pendidikan", Label: "Pendidikan", N: 25}, {Key: "sosial", Label: "Sosial", N: 15}},
		ByMonth:           months,
		Overdue:           17,
		DueThisWeek:       6,
		AvgDaysToResponse: 2.43,
		AvgDaysToFollowUp: 4.18,
		Responded:         241,
		FollowedUp:        190,
	}
}
