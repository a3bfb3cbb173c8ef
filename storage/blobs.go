package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// MaxBlobSize bounds one attachment: photos and scanned letters, not videos.
const MaxBlobSize = 25 << 20

var reSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// PutBlob stores an attachment's content read from r (at most MaxBlobSize bytes) and
// returns its metadata. Storing the same content twice is a no-op.
func (s *Store) PutBlob(ctx context.Context, name, mime string, r io.Reader) (lapordesk.Attachment, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBlobSize+1))
	if err != nil {
		return lapordesk.Attachment{}, fmt.Errorf("read attachment %q: %w", name, err)
	}
	if len(data) > MaxBlobSize {
		return lapordesk.Attachment{}, fmt.Errorf("attachment %q: %w", name, &lapordesk.FieldError{Field: "attachments", Problem: lapordesk.ProblemTooLong, Limit: MaxBlobSize, Length: len(data)})
	}
	a := lapordesk.Attachment{Name: name, MIME: mime, Size: int64(len(data)), SHA256: hashOf(data)}
	if err := lapordesk.CheckText("attachments", name, true, lapordesk.MaxAttachLen, false); err != nil {
		return lapordesk.Attachment{}, err
	}
	err = s.write(ctx, func(t *wtx) error { return putBlob(t, a.SHA256, mime, data) })
	if err != nil {
		return lapordesk.Attachment{}, fmt.Errorf("store attachment %q: %w", name, err)
	}
	return a, nil
}

// PutBlobChecked stores content that must hash to sha256 (an attachment arriving by
// sync); content that does not match is refused.
func (s *Store) PutBlobChecked(ctx context.Context, sha256, mime string, data []byte) error {
	if len(data) > MaxBlobSize {
		return &lapordesk.FieldError{Field: "attachments", Problem: lapordesk.ProblemTooLong, Limit: MaxBlobSize, Length: len(data)}
	}
	if got := hashOf(data); got != sha256 {
		return fmt.Errorf("attachment content hashes to %s, not %s: %w", got, sha256, lapordesk.ErrInvalid)
	}
	return s.write(ctx, func(t *wtx) error { return putBlob(t, sha256, mime, data) })
}

// File is an attachment's content, stored with the decision that names it (see
// Store.Receive and Store.Act).
type File struct {
	Name, MIME string
	Data       []byte
	SHA256     string // of Data
}

// ReadFile reads an attachment's content (at most MaxBlobSize bytes) under name,
// its type taken from the name's extension. Nothing is stored yet: a form that is
// cancelled leaves nothing behind.
func ReadFile(name string, r io.Reader) (File, error) {
	if err := lapordesk.CheckText("attachments", name, true, lapordesk.MaxAttachLen, false); err != nil {
		return File{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxBlobSize+1))
	if err != nil {
		return File{}, fmt.Errorf("read attachment %q: %w", name, err)
	}
	if len(data) > MaxBlobSize {
		return File{}, fmt.Errorf("attachment %q: %w", name, &lapordesk.FieldError{Field: "attachments", Problem: lapordesk.ProblemTooLong, Limit: MaxBlobSize, Length: len(data)})
	}
	return File{Name: name, MIME: mime.TypeByExtension(strings.ToLower(filepath.Ext(name))), Data: data, SHA256: hashOf(data)}, nil
}

// Attachment is what an event records of the file.
func (f File) Attachment() lapordesk.Attachment {
	return lapordesk.Attachment{Name: f.Name, MIME: f.MIME, Size: int64(len(f.Data)), SHA256: f.SHA256}
}

// putFiles stores files inside t; each must be the content of one of the
// attachments named, so nothing is stored that no event refers to.
func putFiles(t *wtx, files []File, named []lapordesk.Attachment) error {
	for _, f := range files {
		if len(f.Data) > MaxBlobSize {
			return fmt.Errorf("attachment %q: %w", f.Name, &lapordesk.FieldError{Field: "attachments", Problem: lapordesk.ProblemTooLong, Limit: MaxBlobSize, Length: len(f.Data)})
		}
		sum, found := hashOf(f.Data), false
		for _, a := range named {
			found = found || (a.SHA256 == sum && a.Size == int64(len(f.Data)))
		}
		if !found {
			return fmt.Errorf("attachment %q: its content is not the file the record names: %w", f.Name, lapordesk.ErrInvalid)
		}
		if err := putBlob(t, sum, f.MIME, f.Data); err != nil {
			return fmt.Errorf("store attachment %q: %w", f.Name, err)
		}
	}
	return nil
}

// putBlob stores content under its hash; the same content twice is stored once.
func putBlob(t *wtx, sha256, mime string, data []byte) error {
	_, err := t.Exec("INSERT INTO blobs (sha256, size, mime, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", sha256, len(data), mime, data)
	return err
}

// Blob returns an attachment's content.
func (s *Store) Blob(ctx context.Context, sha256 string) ([]byte, error) {
	if !reSHA.MatchString(sha256) {
		return nil, &lapordesk.FieldError{Field: "sha256", Problem: lapordesk.ProblemFormat, Value: sha256}
	}
	var data []byte
	err := s.r.QueryRowContext(ctx, "SELECT data FROM blobs WHERE sha256 = ?", sha256).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachment %s: not here yet: %w", sha256, lapordesk.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment %s: %w", sha256, sqlitedb.Classify(err))
	}
	return data, nil
}

// MissingBlobs returns the attachments named by reports' events whose content is not
// in the store (still to download, or to upload from another desk).
func (s *Store) MissingBlobs(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT json_extract(a.value, '$.sha256') FROM events e,
		json_each(CASE WHEN e.kind = 'received' THEN json_extract(e.body, '$.payload.report.attachments') ELSE json_extract(e.body, '$.payload.attachments') END) a
		WHERE json_extract(a.value, '$.sha256') NOT IN (SELECT sha256 FROM blobs)`)
	if err != nil {
		return nil, fmt.Errorf("find missing attachments: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		out = append(out, sha)
	}
	return out, rows.Err()
}

// BlobRef is an attachment named by an event.
type BlobRef struct {
	Seq    int64 // local sequence number of the event
	SHA256 string
	MIME   string
}

// EventAttachments returns the attachments named by events with a local sequence
// number in (after, upTo], in order; localOnly keeps this desk's own events.
func (s *Store) EventAttachments(ctx context.Context, after, upTo int64, localOnly bool) ([]BlobRef, error) {
	if upTo <= after {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT e.seq, json_extract(a.value, '$.sha256'), COALESCE(json_extract(a.value, '$.mime'), '') FROM events e,
		json_each(CASE WHEN e.kind = 'received' THEN json_extract(e.body, '$.payload.report.attachments') ELSE json_extract(e.body, '$.payload.attachments') END) a
		WHERE e.seq > ? AND e.seq <= ? AND (e.origin = 'local' OR NOT ?) ORDER BY e.seq`, after, upTo, localOnly)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var refs []BlobRef
	for rows.Next() {
		var r BlobRef
		if err := rows.Scan(&r.Seq, &r.SHA256, &r.MIME); err != nil {
			return nil, fmt.Errorf("find attachments: %w", err)
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// HaveBlobs returns which of the given attachments' contents are in the store.
func (s *Store) HaveBlobs(ctx context.Context, hashes []string) (map[string]bool, error) {
	out := make(map[string]bool, len(hashes))
	for len(hashes) > 0 {
		n := min(len(hashes), 500)
		rows, err := s.r.QueryContext(ctx, "SELECT sha256 FROM blobs WHERE sha256 IN ("+placeholders(n)+")", toAny(hashes[:n])...)
		if err != nil {
			return nil, fmt.Errorf("look up attachments: %w", sqlitedb.Classify(err))
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			out[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		hashes = hashes[n:]
	}
	return out, nil
}
