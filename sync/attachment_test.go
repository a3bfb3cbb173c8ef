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
