// Package demo generates deterministic, realistic synthetic reports for training
// rooms and benchmarks: reports from Kabupaten Barru's kecamatan, in Indonesian, over
// every classification, channel and confidentiality, with histories that reach every
// status and leave some overdue. The same seed always gives the same reports.
package demo

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// Kecamatan and some of their desa/kelurahan in Kabupaten Barru.
var places = []struct {
	kecamatan string
	desa      []string
}{
	{"Barru", []string{"Coppo", "Sumpang Binangae", "Tuwung", "Mangempang", "Palakka", "Galung", "Sepe'e", "Tompo"}},
	{"Tanete Riaja", []string{"Lompo Riaja", "Harapan", "Kading", "Lempang", "Libureng", "Mattirowalie", "Lompo Tengah"}},
	{"Tanete Rilau", []string{"Tanete", "Pancana", "Lalabata", "Garessi", "Lipukasi", "Corawali", "Lasitae", "Tellumpanua"}},
	{"Soppeng Riaja", []string{"Mangkoso", "Ajakkang", "Batupute", "Lawallu", "Siddo", "Paccekke", "Kiru-Kiru"}},
	{"Mallusetasi", []string{"Palanro", "Bojo", "Mallawa", "Nepo", "Cilellang", "Bojo Baru", "Kupa"}},
	{"Pujananting", []string{"Pattappa", "Bacu-Bacu", "Jangan-Jangan", "Bulo-Bulo", "Gattareng", "Pujananting", "Ajang Pulu"}},
	{"Balusu", []string{"Takkalasi", "Binuang", "Lampoko", "Balusu", "Kamiri", "Madello"}},
}

var firstNames = []string{"Andi", "Muhammad", "Siti", "Nur", "Ahmad", "Hasnah", "Rahmat", "Sitti", "Baharuddin", "Hj. Rosmiati",
	"Syamsuddin", "Nurhayati", "Irwan", "Hasanuddin", "Rusdi", "Wahyuni", "Jumriah", "Asri", "Fitriani", "Muh. Ilham",
	"Darmawati", "Kaharuddin", "Suriani", "Amiruddin", "Hartati", "Basri", "Nurul", "Arifin", "Marlina", "Zainal"}
var lastNames = []string{"Lamba", "Syam", "Rahman", "Amir", "Hamzah", "Latief", "Saleh", "Basri", "Mappiare", "Daeng Nai",
	"Tahir", "Yusuf", "Sulaiman", "Pawellangi", "Ramli", "Arsyad", "Nurdin", "Mustafa", "Bakri", "Halim"}

// topic is a kind of complaint: its category, the unit that handles it, and texts.
type topic struct {
	category string
	unit     string
	titles   []string
	bodies   []string
}

var topics = []topic{
	{"kesehatan.puskesmas", "DINKES",
		[]string{"Antrean pelayanan Puskesmas %s sangat panjang", "Dokter tidak ada di Puskesmas %s pada jam pelayanan", "Obat kosong di Puskesmas %s"},
		[]string{"Saya datang ke puskesmas sejak pukul 07.30 tetapi baru dilayani menjelang siang. Mohon penambahan petugas loket.",
			"Pada jam pelayanan dokter tidak berada di tempat dan pasien hanya dilayani perawat. Mohon perhatian Dinas Kesehatan.",
			"Resep yang diberikan tidak dapat ditebus karena obat kosong, kami diminta membeli di apotek luar."}},
	{"kesehatan.jkn", "DINKES",
		[]string{"Kartu BPJS warga %s tidak aktif", "Peserta PBI di %s dinonaktifkan tanpa pemberitahuan"},
		[]string{"Kartu BPJS Kesehatan kami tiba-tiba tidak aktif saat berobat, padahal kami termasuk penerima bantuan iuran.",
			"Beberapa warga kehilangan kepesertaan PBI tanpa pemberitahuan. Mohon dicek kembali datanya."}},
	{"kesehatan.rumah-sakit", "RSUD",
		[]string{"Pelayanan IGD RSUD lambat untuk warga %s", "Biaya tambahan di rumah sakit untuk pasien BPJS dari %s"},
		[]string{"Keluarga kami menunggu lebih dari dua jam di IGD sebelum ditangani. Mohon evaluasi pelayanan.",
			"Kami diminta membayar biaya tambahan padahal pasien terdaftar sebagai peserta BPJS."}},
	{"pendidikan.sarana", "DISDIKBUD",
		[]string{"Atap ruang kelas SD di %s bocor", "Bangku sekolah rusak di %s"},
		[]string{"Atap dua ruang kelas bocor sehingga siswa dipulangkan saat hujan. Mohon perbaikan sebelum musim hujan.",
			"Banyak bangku dan meja rusak sehingga siswa duduk di lantai. Mohon bantuan sarana."}},
	{"pendidikan.ppdb", "DISDIKBUD",
		[]string{"Zonasi PPDB tidak sesuai alamat di %s", "Pungutan pendaftaran sekolah di %s"},
		[]string{"Anak kami tidak diterima padahal rumah dekat sekolah. Mohon penjelasan penentuan zonasi.",
			"Orang tua diminta membayar biaya pendaftaran ulang yang tidak jelas dasarnya."}},
	{"infrastruktur.jalan", "PUPR",
		[]string{"Jalan poros %s rusak parah", "Jembatan di %s hampir putus", "Jalan berlubang di depan pasar %s"},
		[]string{"Jalan berlubang dan tergenang saat hujan, sudah beberapa pengendara motor jatuh. Mohon segera diperbaiki.",
			"Tiang jembatan kayu sudah lapuk dan berbahaya dilalui anak sekolah. Mohon penanganan segera.",
			"Lubang besar di badan jalan membahayakan pengguna jalan terutama malam hari."}},
	{"infrastruktur.drainase", "PUPR",
		[]string{"Saluran drainase tersumbat di %s", "Banjir setiap hujan di %s"},
		[]string{"Saluran air tersumbat sampah dan sedimen sehingga air meluap ke rumah warga.",
			"Setiap hujan deras permukiman tergenang karena drainase tidak berfungsi."}},
	{"infrastruktur.air-bersih", "PUPR",
		[]string{"Air PDAM tidak mengalir di %s", "Sumur bor bantuan di %s tidak berfungsi"},
		[]string{"Sudah dua minggu air tidak mengalir, warga terpaksa membeli air galon untuk kebutuhan sehari-hari.",
			"Sumur bor yang dibangun tahun lalu sudah tidak berfungsi dan belum diperbaiki."}},
	{"infrastruktur.penerangan", "DISHUB",
		[]string{"Lampu jalan padam di %s"},
		[]string{"Lampu penerangan jalan umum padam sejak sebulan sehingga jalan gelap dan rawan kecelakaan."}},
	{"adminduk.ktp-el", "DISDUKCAPIL",
		[]string{"KTP-el belum dicetak sejak tiga bulan (%s)", "Blanko KTP-el habis di kecamatan %s"},
		[]string{"Saya sudah merekam data KTP-el tiga bulan lalu tetapi belum juga dicetak. Mohon informasi.",
			"Petugas kecamatan menyampaikan blanko KTP-el habis sehingga warga hanya diberi surat keterangan."}},
	{"adminduk.kk", "DISDUKCAPIL",
		[]string{"Perubahan data Kartu Keluarga lambat (%s)"},
		[]string{"Pengajuan perubahan Kartu Keluarga sudah lebih dari dua minggu belum selesai."}},
	{"adminduk.akta", "DISDUKCAPIL",
		[]string{"Pengurusan akta kelahiran di %s berbelit"},
		[]string{"Kami diminta bolak-balik melengkapi berkas untuk akta kelahiran anak. Mohon kejelasan persyaratan."}},
	{"perizinan.pbg", "DPMPTSP",
		[]string{"Izin PBG tidak kunjung terbit (%s)"},
		[]string{"Permohonan persetujuan bangunan gedung sudah lengkap sejak dua bulan namun belum ada kabar."}},
	{"perizinan.usaha", "DPMPTSP",
		[]string{"Kesulitan mengurus NIB usaha mikro di %s"},
		[]string{"Pelaku usaha mikro kesulitan mengurus NIB melalui OSS. Mohon pendampingan."}},
	{"lingkungan.sampah", "DLH",
		[]string{"Sampah tidak diangkut di %s", "Tempat pembuangan sampah liar di %s"},
		[]string{"Sampah menumpuk lebih dari seminggu dan menimbulkan bau. Mohon jadwal pengangkutan diperbaiki.",
			"Ada tempat pembuangan sampah liar di pinggir jalan yang mengganggu warga."}},
	{"sosial.bansos", "DINSOS",
		[]string{"Bantuan sosial tidak tepat sasaran di %s", "Warga miskin di %s tidak terdata DTKS"},
		[]string{"Ada keluarga mampu yang menerima bantuan sementara warga miskin tidak menerima. Mohon verifikasi data.",
			"Keluarga kami tergolong tidak mampu tetapi tidak terdaftar dalam DTKS."}},
	{"sosial.pkh", "DINSOS",
		[]string{"Pencairan PKH terlambat di %s"},
		[]string{"Dana PKH tahap ini belum cair padahal daerah lain sudah menerima."}},
	{"ketertiban", "SATPOLPP",
		[]string{"Pedagang kaki lima menutup trotoar di %s", "Balapan liar setiap malam di %s"},
		[]string{"Trotoar dipenuhi lapak pedagang sehingga pejalan kaki harus turun ke jalan.",
			"Setiap malam minggu ada balapan liar yang membahayakan dan mengganggu istirahat warga."}},
	{"bencana", "BPBD",
		[]string{"Abrasi pantai mengancam rumah warga di %s", "Tanah longsor menutup jalan di %s"},
		[]string{"Abrasi semakin parah dan beberapa rumah sudah terancam. Mohon dibangun tanggul penahan ombak.",
			"Longsor menutup sebagian badan jalan dan belum dibersihkan."}},
	{"dana-desa", "DPMD",
		[]string{"Penggunaan dana desa %s tidak transparan"},
		[]string{"Warga tidak pernah mendapatkan informasi penggunaan dana desa. Mohon papan informasi APBDes dipasang."}},
	{"kominfo.jaringan", "DISKOMINFO",
		[]string{"Tidak ada sinyal internet di %s"},
		[]string{"Desa kami belum terjangkau sinyal sehingga siswa kesulitan belajar daring. Mohon bantuan akses internet."}},
	{"kominfo.informasi-publik", "DISKOMINFO",
		[]string{"Permohonan informasi anggaran %s"},
		[]string{"Saya memohon salinan informasi anggaran kegiatan pembangunan di kecamatan kami."}},
	{"pertanian", "DISTAN",
		[]string{"Pupuk bersubsidi langka di %s"},
		[]string{"Petani kesulitan mendapatkan pupuk bersubsidi menjelang musim tanam."}},
	{"transportasi", "DISHUB",
		[]string{"Angkutan umum ke %s tidak beroperasi"},
		[]string{"Sejak sebulan tidak ada angkutan umum sehingga warga kesulitan ke pasar dan sekolah."}},
}

var aspirasiTitles = []string{"Usulan pembangunan taman bermain di %s", "Saran penambahan jam layanan kantor di %s", "Usulan pelatihan UMKM untuk warga %s"}
var aspirasiBodies = []string{"Kami mengusulkan agar pemerintah membangun fasilitas ini untuk kepentingan warga.", "Sebagai saran, mohon dipertimbangkan demi pelayanan yang lebih baik."}
var infoTitles = []string{"Permintaan informasi jadwal pelayanan di %s", "Permintaan informasi syarat bantuan untuk warga %s"}
var infoBodies = []string{"Mohon informasi jadwal dan persyaratan layanan yang berlaku.", "Saya ingin mengetahui persyaratan dan prosedur yang harus dipenuhi."}

var responses = []string{
	"Terima kasih atas laporan Anda. Laporan telah kami terima dan sedang dikoordinasikan dengan bidang terkait.",
	"Laporan Anda sedang ditindaklanjuti. Tim kami akan melakukan peninjauan lapangan dalam waktu dekat.",
}
var followUps = []string{
	"Tim telah melakukan peninjauan lapangan dan perbaikan telah dilaksanakan. Terima kasih atas partisipasi Anda.",
	"Permasalahan telah ditangani dan dikoordinasikan dengan pihak terkait. Mohon sampaikan bila masih ada kendala.",
	"Data Anda telah diperbaiki dan dokumen dapat diambil di kantor kami pada jam kerja.",
}

// Options steers generation.
type Options struct {
	Seed  uint64
	Count int
	// Now is the moment of the generated store: reports are received during the 18
	// months before it, and histories never go past it.
	Now time.Time
	// Unit is this desk's unit: reports are entered by it or disposed to it.
	Unit string
	// Coordinator is the coordinating unit's code (usually DISKOMINFO).
	Coordinator string
	Calendar    *lapordesk.Calendar
}

// Generator yields reports one batch at a time, so a million fit in little memory.
type Generator struct {
	o   Options
	rng *rand.Rand
	n   int
}

// New returns a generator.
func New(o Options) *Generator {
	if o.Coordinator == "" {
		o.Coordinator = "DISKOMINFO"
	}
	if o.Calendar == nil {
		o.Calendar = lapordesk.NewCalendar(time.UTC, nil)
	}
	return &Generator{o: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
}

// Next returns the events of up to max more reports, or nil when done.
func (g *Generator) Next(max int) []lapordesk.Event {
	var out []lapordesk.Event
	for i := 0; i < max && g.n < g.o.Count; i++ {
		out = append(out, g.report()...)
		g.n++
	}
	return out
}

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// id returns a UUIDv7 for time t whose random bits come from the seeded source.
func (g *Generator) id(t time.Time) uuid.UUID {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(u[8:], g.rng.Uint64())
	r := g.rng.Uint64()
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	u[6] = 0x70 | byte(r&0x0f)
	u[7] = byte(r >> 8)
	u[8] = 0x80 | (u[8] & 0x3f)
	return u
}

func (g *Generator) report() []lapordesk.Event {
	o := g.o
	// Receipt: weighted to recent weeks, within office hours on a working day.
	days := int(g.rng.ExpFloat64() * 60)
	if days > 540 {
		days = g.rng.IntN(540)
	}
	at := o.Now.AddDate(0, 0, -days)
	for !o.Calendar.IsWorkingDay(lapordesk.DateOf(at, o.Calendar.Location)) {
		at = at.AddDate(0, 0, -1)
	}
	at = officeHour(at, o.Calendar.Location, g.rng)
	if at.After(o.Now) {
		at = o.Now.Add(-time.Duration(g.rng.IntN(3600)+60) * time.Second)
	}

	pl := places[g.rng.IntN(len(places))]
	desa := g.pick(pl.desa)
	tp := topics[g.rng.IntN(len(topics))]
	cls := lapordesk.Pengaduan
	switch x := g.rng.IntN(10); {
	case x == 0:
		cls = lapordesk.PermintaanInformasi
	case x <= 2:
		cls = lapordesk.Aspirasi
	}
	title, body := fmt.Sprintf(g.pick(tp.titles), desa), g.pick(tp.bodies)
	switch cls {
	case lapordesk.Aspirasi:
		title, body = fmt.Sprintf(g.pick(aspirasiTitles), desa), g.pick(aspirasiBodies)
	case lapordesk.PermintaanInformasi:
		title, body = fmt.Sprintf(g.pick(infoTitles), desa), g.pick(infoBodies)
	}
	conf := lapordesk.Biasa
	switch x := g.rng.IntN(10); {
	case x == 0:
		conf = lapordesk.Anonim
	case x <= 2:
		conf = lapordesk.Rahasia
	}
	ch := lapordesk.Channels[g.rng.IntN(len(lapordesk.Channels))]
	name := g.pick(firstNames) + " " + g.pick(lastNames)
	n := lapordesk.NewReport{
		Classification: cls, CategoryID: tp.category, Title: title,
		Body:         body + " Lokasi: Desa/Kelurahan " + desa + ", Kecamatan " + pl.kecamatan + ".",
		IncidentDate: lapordesk.DateOf(at.AddDate(0, 0, -g.rng.IntN(14)), o.Calendar.Location),
		Location:     lapordesk.Location{Kecamatan: pl.kecamatan, Desa: desa, Detail: fmt.Sprintf("Dusun %d", 1+g.rng.IntN(5))},
		Channel:      ch,
		Reporter: lapordesk.Reporter{Name: name, Phone: fmt.Sprintf("08%d%08d", 11+g.rng.IntN(89), g.rng.IntN(100000000)),
			Email: strings.ToLower(strings.NewReplacer(" ", ".", "'", "").Replace(name)) + "@contoh.id"},
		Confidentiality: conf,
	}
	if g.rng.IntN(4) == 0 {
		n.Reporter.IDNumber = fmt.Sprintf("7311%012d", g.rng.Int64N(1e12))
	}
	online := ch == lapordesk.ChannelWebsite || ch == lapordesk.ChannelSMS || ch == lapordesk.ChannelMobileApp || ch == lapordesk.ChannelSocialMedia
	if online {
		// Unique per seed: each report owns a stride of three numbers.
		n.TrackingID = fmt.Sprintf("%d", 4000000+3*g.n+g.rng.IntN(3))
	}
	// Online reports come through the coordinator and are disposed to this unit;
	// walk-ins, letters, phone calls and e-mails are entered by the unit itself.
	n.Unit = o.Unit
	if online && o.Unit != o.Coordinator {
		n.Unit = o.Coordinator
	}
	rid := g.id(at)
	evs := []lapordesk.Event{{ID: g.id(at), ReportID: rid, Kind: lapordesk.EvReceived, At: at, Actor: "Demo", Unit: n.Unit, Payload: lapordesk.Payload{Report: &n}}}
	r := &lapordesk.Report{}
	r.Apply(evs[0])

	// The history: each step taken some working days after the previous one, until
	// the report's fate is reached or the next step would be in the future.
	unitOf := func(a lapordesk.Action) string {
		switch a {
		case lapordesk.ActVerify, lapordesk.ActDispose:
			return r.Unit
		}
		return o.Unit
	}
	step := func(a lapordesk.Action, maxDays int, p lapordesk.Payload) bool {
		next := o.Calendar.AddWorkingDays(lapordesk.DateOf(at, o.Calendar.Location), g.rng.IntN(maxDays+1))
		t := officeHour(next.Time(o.Calendar.Location), o.Calendar.Location, g.rng)
		if !t.After(at) {
			t = at.Add(time.Duration(20+g.rng.IntN(200)) * time.Minute)
		}
		if t.After(o.Now) {
			return false
		}
		e := lapordesk.Event{ID: g.id(t), ReportID: rid, Kind: a.Kind(), At: t, Actor: "Demo", Unit: unitOf(a), BaseVersion: r.Version, Payload: p}
		if c := r.Apply(e); c != nil {
			return false
		}
		evs = append(evs, e)
		at = t
		return true
	}
	fate := g.rng.IntN(100)
	switch {
	case fate < 4: // archived: not about government performance
		step(lapordesk.ActArchive, 2, lapordesk.Payload{Reason: "Laporan tidak memenuhi format dan tidak berkaitan dengan kinerja pelayanan publik."})
		return evs
	case fate < 9: // waiting for the reporter's missing data
		if !step(lapordesk.ActPostpone, 2, lapordesk.Payload{Reason: "Data pelapor dan lokasi kejadian belum lengkap."}) {
			return evs
		}
		if g.rng.IntN(2) == 0 || !step(lapordesk.ActReply, 8, lapordesk.Payload{Text: "Lokasi tepatnya di dekat masjid, dusun 2."}) {
			return evs
		}
	}
	if !step(lapordesk.ActVerify, 3, lapordesk.Payload{}) {
		return evs
	}
	if r.Unit != o.Unit {
		if !step(lapordesk.ActDispose, 3, lapordesk.Payload{ToUnit: o.Unit, Instructions: []string{"Tanggapan dan saran", "Proses lebih lanjut"}, Text: "Mohon ditindaklanjuti sesuai kewenangan."}) {
			return evs
		}
	}
	if fate >= 9 && fate < 12 && r.Status == lapordesk.StatusDisposed {
		step(lapordesk.ActReturn, 2, lapordesk.Payload{Reason: "Bukan kewenangan unit kami; mohon diteruskan ke instansi terkait."})
		return evs
	}
	if g.rng.IntN(3) == 0 {
		step(lapordesk.ActNote, 2, lapordesk.Payload{Text: "Sudah dikonfirmasi melalui telepon kepada kepala bidang."})
	}
	// Slow units leave some reports waiting past their due date.
	if !step(lapordesk.ActRespond, 3+g.rng.IntN(6), lapordesk.Payload{Text: g.pick(responses)}) {
		return evs
	}
	if !step(lapordesk.ActFollowUp, 2+g.rng.IntN(8), lapordesk.Payload{Text: g.pick(followUps)}) {
		return evs
	}
	if g.rng.IntN(6) == 0 {
		if !step(lapordesk.ActReply, 5, lapordesk.Payload{Text: "Masalah belum sepenuhnya selesai, mohon dicek kembali."}) {
			return evs
		}
		if !step(lapordesk.ActFollowUp, 5, lapordesk.Payload{Text: g.pick(followUps)}) {
			return evs
		}
	}
	step(lapordesk.ActClose, 12, lapordesk.Payload{Reason: "Tidak ada tanggapan pelapor dalam 10 hari kerja."})
	return evs
}

// officeHour returns a moment between 08:00 and 15:30 on t's date in loc.
func officeHour(t time.Time, loc *time.Location, rng *rand.Rand) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 8, 0, 0, 0, loc).Add(time.Duration(rng.IntN(450)) * time.Minute).Add(time.Duration(rng.IntN(60)) * time.Second)
}
