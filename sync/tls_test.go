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
	"github.com/lapordesk/lapordesk/sync/wire"
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

// serveOwnTLS serves st over HTTPS with the hub's own certificate, as
// `lapordesk-server serve` does by default; it returns the address (no scheme)
// and the fingerprint desks pin.
func serveOwnTLS(t *testing.T, st *hub.Store) (addr, pin string) {
	t.Helper()
	cert, err := hub.OwnCertificate(st.Path(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if pin, err = hub.CertFingerprint(cert); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	ready, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() {
		done <- hub.Serve(sctx, hub.NewServer(st, hub.Options{}).Handler(),
			hub.ServeOptions{Addr: "127.0.0.1:0", Certificate: &cert, Ready: func(a net.Addr) { ready <- a }})
	}()
	t.Cleanup(func() { stop(); <-done })
	return (<-ready).String(), pin
}

// A hub with its own certificate and no PKI: the token carries the start of its
// fingerprint, the desk checks it at enrolment and pins all of it. A machine with
// another certificate at the hub's address gets nothing: not the enrolment, not a
// report, not the device's token.
func TestTheHubsOwnCertificateIsPinnedByTheToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.PutUnit(ctx, lapordesk.Unit{Code: "DINKES", Name: "Dinas Kesehatan"})
	addr, pin := serveOwnTLS(t, st)

	// An impostor: another hub file, so another certificate, at another port.
	other, err := hub.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.PutUnit(ctx, lapordesk.Unit{Code: "DINKES", Name: "Dinas Kesehatan"})
	fake, fakePin := serveOwnTLS(t, other)
	if fakePin == pin {
		t.Fatal("two hubs made the same key")
	}

	d := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	plain, _, _ := st.NewEnrolment(ctx, "DINKES", lapordesk.RoleUnit, time.Hour)
	token := wire.TokenWithPin(plain, pin)
	var pe *lsync.PinError
	if _, err := lsync.Enroll(ctx, d.st, fake, token, lsync.EnrollOptions{Client: fastClient()}); !errors.As(err, &pe) || pe.Got != fakePin {
		t.Fatalf("enrolment with the impostor: %v", err)
	}
	if _, err := lsync.LoadConfig(ctx, d.st); !errors.Is(err, lsync.ErrNotEnrolled) {
		t.Fatalf("after the refused enrolment: %v", err)
	}
	var ce *lsync.CertError
	if _, err := lsync.Enroll(ctx, d.st, addr, plain, lsync.EnrollOptions{Client: fastClient()}); !errors.As(err, &ce) {
		t.Fatalf("enrolment with a token without its pin: %v", err)
	}
	if _, err := lsync.Enroll(ctx, d.st, addr, token, lsync.EnrollOptions{Client: fastClient()}); err != nil {
		t.Fatalf("enrolment at the hub's address as read out (no scheme): %v", err)
	}
	cfg, err := lsync.LoadConfig(ctx, d.st)
	if err != nil || cfg.Pin != pin || cfg.HubURL != "https://"+addr {
		t.Fatalf("enrolment kept %q at %q (%v), want the whole fingerprint %q", cfg.Pin, cfg.HubURL, err, pin)
	}
	d.receive(t, sample("Lewat HTTPS tersemat"))
	if s := d.sync(t); s.Sent != 1 {
		t.Fatalf("sync with the pinned hub: %+v", s)
	}

	// The impostor takes over the address: the desk sends nothing.
	if err := d.st.SetSyncValue(ctx, lsync.KeyHubURL, "https://"+fake); err != nil {
		t.Fatal(err)
	}
	d.receive(t, sample("Tidak boleh sampai"))
	if _, err := lsync.Run(ctx, d.st, d.opts); !errors.As(err, &pe) {
		t.Fatalf("sync with the impostor: %v", err)
	}
	if s, _ := other.Stats(ctx); s.Events != 0 || s.Devices != 0 {
		t.Fatalf("the impostor got %+v", s)
	}
	if pe.Got != fakePin || pe.Want != pin {
		t.Fatalf("the error does not name both fingerprints: %v", pe)
	}
}

// http:// to another machine is refused before anything is sent, unless the
// administrator allows it; to this machine it is fine.
func TestPlainHTTPToTheNetworkNeedsConsent(t *testing.T) {
	t.Parallel()
	var pe *lsync.PlainHTTPError
	// 192.0.2.0/24 is TEST-NET-1: nothing is sent to it, the refusal comes first.
	if _, err := lsync.NewClient("http://192.0.2.10:8080", "", lsync.ClientOptions{}); !errors.As(err, &pe) {
		t.Fatalf("http:// to the network: %v", err)
	}
	d := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	if _, err := lsync.Enroll(context.Background(), d.st, "http://192.0.2.10:8080", "AAAA-BBBB", lsync.EnrollOptions{Client: fastClient()}); !errors.As(err, &pe) {
		t.Fatalf("enrolment over http:// to the network: %v", err)
	}
	for _, ok := range []struct {
		url   string
		plain bool
	}{{"http://192.0.2.10:8080", true}, {"http://127.0.0.1:8080", false}, {"http://localhost:8080", false}, {"http://[::1]:8080", false}, {"192.0.2.10:8080", false}} {
		if _, err := lsync.NewClient(ok.url, "", lsync.ClientOptions{PlainHTTP: ok.plain}); err != nil {
			t.Errorf("%s (allowed %v): %v", ok.url, ok.plain, err)
		}
	}
}
