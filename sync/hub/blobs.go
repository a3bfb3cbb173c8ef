package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
	"github.com/lapordesk/lapordesk/sync/wire"
)

var reSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidSHA reports whether s is a lower-case hex SHA-256.
func ValidSHA(s string) bool { return reSHA.MatchString(s) }

// OffsetError: an upload chunk does not start where the hub's copy ends. The
// client resumes from Offset.
type OffsetError struct{ Offset int64 }

func (e *OffsetError) Error() string {
	return fmt.Sprintf("upload continues at byte %d", e.Offset)
}

func (e *OffsetError) Unwrap() error { return lapordesk.ErrConflict }

// mayUse reports whether the device sees a report that names the attachment: the
// only attachments it may fetch or upload.
func mayUse(ctx context.Context, q querier, d Device, sha string) (bool, error) {
	query, args := "SELECT count(*) FROM blob_refs WHERE sha256 = ?", []any{sha}
	if !d.Coordinator() {
		query, args = "SELECT count(*) FROM blob_refs b JOIN visibility v ON v.report_id = b.report_id WHERE b.sha256 = ? AND v.unit = ?", []any{sha, d.Unit}
	}
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, sqlitedb.Classify(err)
	}
	return n > 0, nil
}

// BlobStatus sorts hashes into those the hub holds and those it lacks (with the
// bytes received so far of a partial upload). Attachments the device may not use
// count as missing.
func (s *Store) BlobStatus(ctx context.Context, d Device, hashes []string) (wire.BlobStatusResponse, error) {
	out := wire.BlobStatusResponse{Have: []string{}, Missing: []string{}}
	for _, h := range hashes {
		if !ValidSHA(h) {
			return out, &lapordesk.FieldError{Field: "sha256", Problem: lapordesk.ProblemFormat, Value: h}
		}
		ok, err := mayUse(ctx, s.r, d, h)
		if err != nil {
			return out, err
		}
		if !ok {
			out.Missing = append(out.Missing, h)
			continue
		}
		complete, offset, err := s.blobState(ctx, s.r, h)
		if err != nil {
			return out, err
		}
		if complete {
			out.Have = append(out.Have, h)
			continue
		}
		out.Missing = append(out.Missing, h)
		if offset > 0 {
			if out.Partial == nil {
				out.Partial = map[string]int64{}
			}
			out.Partial[h] = offset
		}
	}
	return out, nil
}

func (s *Store) blobState(ctx context.Context, q querier, sha string) (complete bool, offset int64, err error) {
	err = q.QueryRowContext(ctx, "SELECT size FROM blobs WHERE sha256 = ?", sha).Scan(&offset)
	if err == nil {
		return true, offset, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, sqlitedb.Classify(err)
	}
	err = q.QueryRowContext(ctx, "SELECT received FROM uploads WHERE sha256 = ?", sha).Scan(&offset)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, nil
	}
	return false, offset, sqlitedb.Classify(err)
}

// BlobInfo says whether the hub holds an attachment the device may use (complete,
// with its size) or how much of its upload has arrived (offset).
func (s *Store) BlobInfo(ctx context.Context, d Device, sha string) (complete bool, offset int64, err error) {
	if ok, err := mayUse(ctx, s.r, d, sha); err != nil || !ok {
		return false, 0, errors.Join(err, fmt.Errorf("attachment %s: %w", sha, lapordesk.ErrNotFound))
	}
	return s.blobState(ctx, s.r, sha)
}

// PutChunk stores the bytes of an attachment from offset; total is its whole size.
// When the last byte arrives the content must hash to sha, or the upload is dropped
// and refused. A chunk of an attachment already complete is acknowledged as is.
func (s *Store) PutChunk(ctx context.Context, d Device, sha string, offset, total int64, mime string, data []byte) (next int64, err error) {
	switch {
	case total <= 0 || total > wire.MaxBlobSize:
		return 0, &lapordesk.FieldError{Field: "attachments", Problem: lapordesk.ProblemTooLong, Limit: wire.MaxBlobSize, Length: int(total)}
	case offset < 0 || offset+int64(len(data)) > total:
		return 0, &lapordesk.FieldError{Field: "upload_offset", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(offset)}
	case len(data) == 0 && offset < total:
		return 0, &lapordesk.FieldError{Field: "upload_data", Problem: lapordesk.ProblemRequired}
	}
	if err := lapordesk.CheckText("mime", mime, false, lapordesk.MaxShortLen, false); err != nil {
		return 0, err
	}
	err = s.write(ctx, func(t *tx) error {
		if ok, err := mayUse(ctx, t, d, sha); err != nil || !ok {
			return errors.Join(err, fmt.Errorf("attachment %s: %w", sha, lapordesk.ErrNotFound))
		}
		complete, have, err := s.blobState(ctx, t, sha)
		if err != nil {
			return err
		}
		if complete {
			next = have
			return nil
		}
		if have != offset {
			return &OffsetError{Offset: have}
		}
		var size int64
		switch err := t.QueryRowContext(ctx, "SELECT size FROM uploads WHERE sha256 = ?", sha).Scan(&size); {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := t.Exec("INSERT INTO uploads (sha256, size, mime, received, updated_at) VALUES (?, ?, ?, 0, ?)", sha, total, mime, s.now().Unix()); err != nil {
				return err
			}
		case err != nil:
			return err
		case size != total:
			return &lapordesk.FieldError{Field: "upload_length", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(total)}
		}
		next = offset + int64(len(data))
		if _, err := t.Exec("INSERT INTO upload_chunks (sha256, offset, data) VALUES (?, ?, ?)", sha, offset, data); err != nil {
			return err
		}
		if _, err := t.Exec("UPDATE uploads SET received = ?, updated_at = ? WHERE sha256 = ?", next, s.now().Unix(), sha); err != nil {
			return err
		}
		if next < total {
			return nil
		}
		whole, err := uploadedBytes(t, sha, total)
		if err != nil {
			return err
		}
		if _, err := t.Exec("DELETE FROM upload_chunks WHERE sha256 = ?", sha); err != nil {
			return err
		}
		if _, err := t.Exec("DELETE FROM uploads WHERE sha256 = ?", sha); err != nil {
			return err
		}
		if got := hashHex(whole); got != sha {
			// Commit the deletion: the next attempt starts clean.
			next = -1
			return nil
		}
		_, err = t.Exec("INSERT INTO blobs (sha256, size, mime, data) VALUES (?, ?, ?, ?)", sha, len(whole), mime, whole)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("upload %s: %w", sha, err)
	}
	if next < 0 {
		return 0, fmt.Errorf("upload %s: the content does not hash to its name; it was dropped: %w", sha, lapordesk.ErrInvalid)
	}
	return next, nil
}

// uploadedBytes joins the chunks of an upload, in order; they must cover the size
// exactly.
func uploadedBytes(t *tx, sha string, total int64) ([]byte, error) {
	rows, err := t.Query("SELECT offset, data FROM upload_chunks WHERE sha256 = ? ORDER BY offset", sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	whole := make([]byte, 0, total)
	for rows.Next() {
		var off int64
		var b []byte
		if err := rows.Scan(&off, &b); err != nil {
			return nil, err
		}
		if off != int64(len(whole)) {
			return nil, fmt.Errorf("upload %s: a chunk at byte %d after %d bytes: %w", sha, off, len(whole), lapordesk.ErrInvalid)
		}
		whole = append(whole, b...)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if int64(len(whole)) != total {
		return nil, fmt.Errorf("upload %s: %d bytes of %d: %w", sha, len(whole), total, lapordesk.ErrInvalid)
	}
	return whole, nil
}

// Blob returns an attachment the device may use, with its MIME type.
func (s *Store) Blob(ctx context.Context, d Device, sha string) ([]byte, string, error) {
	if ok, err := mayUse(ctx, s.r, d, sha); err != nil || !ok {
		return nil, "", errors.Join(err, fmt.Errorf("attachment %s: %w", sha, lapordesk.ErrNotFound))
	}
	var data []byte
	var mime string
	err := s.r.QueryRowContext(ctx, "SELECT data, mime FROM blobs WHERE sha256 = ?", sha).Scan(&data, &mime)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("attachment %s: not uploaded yet: %w", sha, lapordesk.ErrNotFound)
	}
	if err != nil {
		return nil, "", fmt.Errorf("read attachment %s: %w", sha, sqlitedb.Classify(err))
	}
	return data, mime, nil
}
