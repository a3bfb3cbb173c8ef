package storage

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// A backup on a flash disk leaves the office. Encrypted with a passphrase (age,
// scrypt), whoever finds it reads nothing; the plain copy is made on the data
// file's own disk and removed once encrypted, so the flash disk never holds it.

// The conditions of encrypted backups are the domain's, so every screen words them.
var (
	ErrNeedPassphrase  = lapordesk.ErrNeedPassphrase
	ErrWrongPassphrase = lapordesk.ErrWrongPassphrase
)

// MinPassphraseLen is the shortest passphrase taken, in characters.
const MinPassphraseLen = 10

// EncryptedSuffix ends an encrypted backup's name: lapordesk-2026-12-02-101500.db.age.
const EncryptedSuffix = ".age"

const ageHeader = "age-encryption.org/v1"

// IsEncrypted reports whether the file at path is an encrypted backup.
func IsEncrypted(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("open %s: %w", path, sqlitedb.Classify(err))
	}
	defer f.Close()
	head := make([]byte, len(ageHeader))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == ageHeader, nil
}

// CheckPassphrase checks a passphrase for a new encrypted backup.
func CheckPassphrase(p string) error {
	if utf8.RuneCountInString(p) < MinPassphraseLen || strings.TrimSpace(p) == "" {
		return &lapordesk.FieldError{Field: "passphrase", Problem: lapordesk.ProblemTooShort, Value: fmt.Sprint(MinPassphraseLen)}
	}
	return nil
}

// BackupEncrypted is Backup to dst encrypted with passphrase.
func (s *Store) BackupEncrypted(ctx context.Context, dst, passphrase string, progress Progress) (BackupInfo, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return BackupInfo{}, err
	}
	if _, err := os.Stat(dst); err == nil {
		return BackupInfo{}, fmt.Errorf("backup: %s already exists: %w", dst, lapordesk.ErrConflict)
	}
	plain := localTemp(s.path, "backup")
	info, err := s.Backup(ctx, plain, progress)
	defer os.Remove(plain)
	if err != nil {
		return BackupInfo{}, err
	}
	rcpt, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: create folder: %w", sqlitedb.Classify(err))
	}
	tmp := dst + ".partial"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return BackupInfo{}, fmt.Errorf("backup: remove stale %s: %w", tmp, sqlitedb.Classify(err))
	}
	if err := encryptFile(plain, tmp, rcpt); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	syncDir(filepath.Dir(dst))
	st, err := os.Stat(dst)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	info.Path, info.Size, info.Encrypted = dst, st.Size(), true
	return info, nil
}

func encryptFile(src, dst string, rcpt age.Recipient) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := sqlitedb.CreateOwnerOnly(dst); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	bw := bufio.NewWriterSize(out, 1<<20)
	w, err := age.Encrypt(bw, rcpt)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// decrypted opens an encrypted backup with passphrase into a plain copy on the
// disk of dbPath (readable by its owner only), for the caller to use and remove.
// A file that is not encrypted is handed back as it is, with nothing to remove.
func decrypted(src, passphrase, dbPath string) (plain string, cleanup func(), err error) {
	enc, err := IsEncrypted(src)
	if err != nil || !enc {
		return src, func() {}, err
	}
	if passphrase == "" {
		return "", nil, fmt.Errorf("%s: %w", src, ErrNeedPassphrase)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", src, ErrWrongPassphrase)
	}
	in, err := os.Open(src)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", src, sqlitedb.Classify(err))
	}
	defer in.Close()
	r, err := age.Decrypt(bufio.NewReaderSize(in, 1<<20), id)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return "", nil, fmt.Errorf("%s: %w", src, ErrWrongPassphrase)
		}
		return "", nil, fmt.Errorf("%s is damaged: %v: %w", src, err, lapordesk.ErrDamaged)
	}
	plain = localTemp(dbPath, "restore")
	cleanup = func() { os.Remove(plain) }
	if err := sqlitedb.CreateOwnerOnly(plain); err != nil {
		return "", nil, fmt.Errorf("decrypt %s: %w", src, sqlitedb.Classify(err))
	}
	out, err := os.OpenFile(plain, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("decrypt %s: %w", src, sqlitedb.Classify(err))
	}
	rr := &readErr{r: r}
	_, err = io.Copy(out, rr)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case rr.err != nil:
		// What age cannot authenticate was changed or cut short (a flash disk
		// pulled out mid-copy); none of it is used.
		cleanup()
		return "", nil, fmt.Errorf("%s is damaged or cut short: %v: %w", src, rr.err, lapordesk.ErrDamaged)
	case err != nil:
		cleanup()
		return "", nil, fmt.Errorf("decrypt %s: %w", src, sqlitedb.Classify(err))
	}
	return plain, cleanup, nil
}

// readErr remembers a read error, to tell a damaged backup from a full disk.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// localTemp names a temporary file beside the data file, on its own disk.
func localTemp(dbPath, what string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return filepath.Join(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+"."+what+"-"+hex.EncodeToString(b))
}

// CheckBackupWith is CheckBackup of a backup that may be encrypted with passphrase.
func CheckBackupWith(ctx context.Context, path, passphrase, dbPath string) (BackupInfo, error) {
	plain, cleanup, err := decrypted(path, passphrase, dbPath)
	if err != nil {
		return BackupInfo{}, err
	}
	defer cleanup()
	info, err := CheckBackup(ctx, plain)
	if plain != path {
		info.Path, info.Encrypted = path, true
		if st, serr := os.Stat(path); serr == nil {
			info.Size = st.Size()
		}
	}
	return info, err
}

// RestoreWith is Restore of a backup that may be encrypted with passphrase.
func RestoreWith(ctx context.Context, src, passphrase, dbPath string, progress Progress) (RestoreResult, error) {
	plain, cleanup, err := decrypted(src, passphrase, dbPath)
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore: %w", err)
	}
	defer cleanup()
	res, err := Restore(ctx, plain, dbPath, progress)
	if plain != src {
		res.Backup.Path, res.Backup.Encrypted = src, true
	}
	return res, err
}
