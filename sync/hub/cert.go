package hub

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lapordesk/lapordesk/internal/sqlitedb"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// CertFiles names the hub's own certificate and key, kept beside its data file
// (hub.db: hub-tls.crt and hub-tls.key).
func CertFiles(dbPath string) (certFile, keyFile string) {
	base := strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + "-tls"
	return base + ".crt", base + ".key"
}

// OwnCertificate loads the hub's own certificate, making it on first use: a
// self-signed ECDSA P-256 certificate valid for 20 years. Desks pin its key, so
// neither its names nor a CA matter; it is kept so the pin holds across restarts.
// The key is readable by its owner only.
func OwnCertificate(dbPath string, now time.Time) (tls.Certificate, error) {
	certFile, keyFile := CertFiles(dbPath)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil {
		return cert, nil
	}
	if _, serr := os.Stat(certFile); !errors.Is(serr, fs.ErrNotExist) {
		return tls.Certificate{}, fmt.Errorf("the hub's certificate %s: %w", certFile, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "lapordesk-server " + host, Organization: []string{"LAPOR Desk hub"}},
		NotBefore:    now.Add(-24 * time.Hour), NotAfter: now.AddDate(20, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		BasicConstraintsValid: true,
	}
	if host != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("make the hub's certificate: %w", err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	// The key first, owner only: a certificate without its key is never left behind.
	if err := writeNew(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})); err != nil {
		return tls.Certificate{}, err
	}
	if err := writeNew(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
		return tls.Certificate{}, err
	}
	return tls.LoadX509KeyPair(certFile, keyFile)
}

// writeNew writes a new file readable by its owner only, synced before it counts.
func writeNew(path string, data []byte) error {
	if err := sqlitedb.CreateOwnerOnly(path); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CertFingerprint is the fingerprint desks pin for a certificate (wire.Fingerprint).
func CertFingerprint(c tls.Certificate) (string, error) {
	if len(c.Certificate) == 0 {
		return "", errors.New("a certificate without its certificate")
	}
	x, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return "", err
	}
	return wire.Fingerprint(x), nil
}

// SetPin records the fingerprint the hub serves under, so `lapordesk-server
// enroll` (another process) puts it in the tokens it prints; "" when desks check
// the hub's certificate by its CA, or the hub serves plain HTTP.
func (s *Store) SetPin(ctx context.Context, fingerprint string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.Exec("INSERT INTO meta (key, value) VALUES ('tls_pin', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", fingerprint)
		return err
	})
}

// Pin returns the fingerprint recorded by SetPin ("" if none).
func (s *Store) Pin(ctx context.Context) (string, error) {
	var pin string
	err := s.r.QueryRowContext(ctx, "SELECT COALESCE((SELECT value FROM meta WHERE key = 'tls_pin'), '')").Scan(&pin)
	if err != nil {
		return "", fmt.Errorf("read the hub's pin: %w", sqlitedb.Classify(err))
	}
	return pin, nil
}
