package sync_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, as a Pemda's own hub
// would have.
func selfSigned(t *testing.T) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hub.barrukab.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile, certPEM
}

// A hub serving HTTPS with its own certificate: a desk that trusts it (--ca)
// enrols and syncs; one that does not is refused before anything is sent.
func TestSyncOverTLSWithTheHubsOwnCertificate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	certFile, keyFile, certPEM := selfSigned(t)
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.PutUnit(ctx, lapordesk.Unit{Code: "DINKES", Name: "Dinas Kesehatan"})
	sctx, stop := context.WithCancel(ctx)
	ready, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() {
		done <- hub.Serve(sctx, hub.NewServer(st, hub.Options{}).Handler(),
			hub.ServeOptions{Addr: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile, Ready: func(a net.Addr) { ready <- a }})
	}()
	defer func() { stop(); <-done }()
	url := "https://" + (<-ready).String()

	d := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	token, _, _ := st.NewEnrolment(ctx, "DINKES", lapordesk.RoleUnit, time.Hour)
	var ce *lsync.CertError
	if _, err := lsync.Enroll(ctx, d.st, url, token, lsync.EnrollOptions{Client: fastClient()}); !errors.As(err, &ce) {
		t.Fatalf("enrolment without trusting the certificate: %v", err)
	}
	if _, err := lsync.Enroll(ctx, d.st, url, token, lsync.EnrollOptions{CA: certPEM, Client: fastClient()}); err != nil {
		t.Fatalf("enrolment trusting the certificate: %v", err)
	}
	d.receive(t, sample("Lewat HTTPS"))
	if s := d.sync(t); s.Sent != 1 {
		t.Fatalf("sync over TLS: %+v", s)
	}
}

// One round per store at a time: a second round while one runs is refused.
func TestOneRoundPerStore(t *testing.T) {
	t.Parallel()
	h := startHub(t)
	px := newFaultProxy(t, h.url, 5)
	a := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	enroll(t, h, a, px.url)
	for i := 0; i < 30; i++ {
		a.receive(t, sample("Laporan"))
	}
	px.set(func(p *faultProxy) { p.latency = 30 * time.Millisecond })
	a.opts.PushBatch = 1
	first := make(chan error, 1)
	go func() { _, err := lsync.Run(context.Background(), a.st, a.opts); first <- err }()
	time.Sleep(100 * time.Millisecond)
	if _, err := lsync.Run(context.Background(), a.st, a.opts); !errors.Is(err, lsync.ErrBusy) {
		t.Fatalf("second round while the first runs: %v", err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if s := a.sync(t); s.Sent != 0 {
		t.Fatalf("after the first round: %+v", s)
	}
	checkConverged(t, h, a)
}
