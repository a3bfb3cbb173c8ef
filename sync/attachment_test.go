package sync_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/lapordesk/lapordesk"
)

// randomBytes is content like a phone photo's: every byte value, NULs included.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 0x9107))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// A phone photo (binary, several chunks) uploads whole and arrives byte for byte.
func TestBinaryAttachmentTravelsWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	photo := randomBytes(1, 2_600_000) // 2.5 MiB: three chunks of the default 1 MiB
	if bytes.IndexByte(photo, 0) < 0 {
		t.Fatal("the photo has no NUL byte")
	}
	att, err := a.st.PutBlob(ctx, "IMG_20261202_0915.jpg", "image/jpeg", bytes.NewReader(photo))
	if err != nil {
		t.Fatal(err)
	}
	n := sample("Jalan berlubang di Mangkoso")
	n.Attachments = []lapordesk.Attachment{att}
	a.receive(t, n)
	if s := a.sync(t); s.Sent != 1 || s.Uploaded != 1 {
		t.Fatalf("A's sync: %+v", s)
	}
	if s := c.sync(t); s.Received != 1 || s.Downloaded != 1 {
		t.Fatalf("the coordinator's sync: %+v", s)
	}
	got, err := c.st.Blob(ctx, att.SHA256)
	if err != nil || !bytes.Equal(got, photo) {
		t.Fatalf("the coordinator's copy: %d bytes of %d, %v", len(got), len(photo), err)
	}
}

// An attachment that cannot be sent this round does not end the round: the other
// file goes, the pull brings what waits for the desk, and the next round sends it.
func TestOneFailingFileNeverStopsTheRound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	px := newFaultProxy(t, h.url, 3)
	a := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	enroll(t, h, a, px.url)
	c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	waiting := sample("Laporan untuk Dinas Kesehatan")
	waiting.Unit = "DINKES"
	c.receive(t, waiting)
	c.sync(t)

	var photos [][]byte
	var atts []lapordesk.Attachment
	for i := range 2 {
		p := randomBytes(uint64(10+i), 300_000)
		att, err := a.st.PutBlob(ctx, "foto.jpg", "image/jpeg", bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		n := sample("Laporan dengan foto")
		n.Attachments = []lapordesk.Attachment{att}
		a.receive(t, n)
		photos, atts = append(photos, p), append(atts, att)
	}
	// Every try of the first photo's upload this round is dropped on the way.
	for n := 1; n <= 12; n++ {
		px.at("/v1/blobs/"+atts[0].SHA256, n, fDrop)
	}
	s := a.sync(t)
	if s.Sent != 2 || s.Uploaded != 1 || s.Received != 1 || len(s.FilesFailed) != 1 ||
		s.FilesFailed[0].SHA256 != atts[0].SHA256 || !s.FilesFailed[0].Upload {
		t.Fatalf("the round with a failing file: %+v", s)
	}
	px.set(func(p *faultProxy) { p.forced = nil })
	if s := a.sync(t); s.Uploaded != 1 || len(s.FilesFailed) != 0 {
		t.Fatalf("the next round: %+v", s)
	}
	if s := c.sync(t); s.Downloaded != 2 {
		t.Fatalf("the coordinator's sync: %+v", s)
	}
	for i, att := range atts {
		if got, err := c.st.Blob(ctx, att.SHA256); err != nil || !bytes.Equal(got, photos[i]) {
			t.Fatalf("photo %d on the coordinator: %d bytes, %v", i, len(got), err)
		}
	}
}
