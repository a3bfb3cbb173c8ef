package hub

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// Options configures the HTTP server.
type Options struct {
	Logger *slog.Logger
	// MaxInFlight bounds the requests served at once; beyond it the hub answers 429
	// with Retry-After, and well-behaved clients come back later. 0 means 64.
	MaxInFlight int
	// PerClient bounds the requests one device, or one address without a token,
	// has in flight; beyond, 429. 0 means 4.
	PerClient int
}

// Server serves the sync protocol from a Store.
type Server struct {
	st    *Store
	log   *slog.Logger
	slots chan struct{}
	per   *clientLimit
	seq   atomic.Uint64 // request numbers for the log
}

// NewServer returns the protocol's HTTP server over st.
func NewServer(st *Store, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 64
	}
	if o.PerClient <= 0 {
		o.PerClient = 4
	}
	return &Server{st: st, log: o.Logger, slots: make(chan struct{}, o.MaxInFlight), per: newClientLimit(o.PerClient)}
}

// Handler returns the routes with logging, panic recovery, the protocol check and
// the in-flight limit around them.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.PathHealth, s.health)
	mux.HandleFunc("POST "+wire.PathEnroll, s.enroll)
	mux.HandleFunc("GET "+wire.PathMe, s.authed(s.me))
	mux.HandleFunc("GET "+wire.PathRefData, s.authed(s.refData))
	mux.HandleFunc("POST "+wire.PathPush, s.authed(s.push))
	mux.HandleFunc("GET "+wire.PathPull, s.authed(s.pull))
	mux.HandleFunc("POST "+wire.PathBlobStatus, s.authed(s.blobStatus))
	mux.HandleFunc("GET "+wire.PathBlobs+"{sha}", s.authed(s.getBlob)) // and HEAD
	mux.HandleFunc("PUT "+wire.PathBlobs+"{sha}", s.authed(s.putBlob))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, wire.CodeNotFound, "no such endpoint")
	})
	return s.middle(mux)
}

// logInfo is filled in by handlers for the access log.
type logInfo struct {
	device, unit string
	status       int
	bytes        int64
}

type ctxKey struct{}

// recorder remembers what a handler answered, for the log, and whether the
// request takes a gzip answer.
type recorder struct {
	http.ResponseWriter
	info *logInfo
	gzip bool
}

// minGzip is the smallest answer worth compressing: below it the gzip header and
// the CPU cost more than the bytes saved.
const minGzip = 860

// compressed returns b gzipped, and sets the answer's encoding, when the request
// takes gzip and b is worth it; else b as it is. JSON compresses to a fifth or less:
// what makes a first sync finish on a 64 kbit/s line.
func compressed(w http.ResponseWriter, b []byte) []byte {
	rec, ok := w.(*recorder)
	if !ok || !rec.gzip || len(b) < minGzip {
		return b
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level never fails
	if _, err := zw.Write(b); err != nil || zw.Close() != nil {
		return b
	}
	w.Header().Set("Content-Encoding", "gzip")
	return buf.Bytes()
}

// acceptsGzip reads an Accept-Encoding header.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func (r *recorder) WriteHeader(code int) {
	if r.info.status == 0 {
		r.info.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.info.status == 0 {
		r.info.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.info.bytes += int64(n)
	return n, err
}

func (s *Server) middle(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &logInfo{}
		id := strconv.FormatUint(s.seq.Add(1), 36)
		w.Header().Set(wire.HeaderRequest, id)
		w.Header().Set(wire.HeaderEpoch, s.st.Epoch())
		// Requests may come gzipped too (RFC 7694): desks compress pushes once they
		// see this.
		w.Header().Set("Accept-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		rec := &recorder{ResponseWriter: w, info: info, gzip: acceptsGzip(r.Header.Get("Accept-Encoding"))}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "req", id, "panic", fmt.Sprint(p))
				if info.status == 0 {
					writeError(rec, http.StatusInternalServerError, wire.CodeInternal, "internal error")
				}
			}
			level := slog.LevelInfo
			if info.status >= 500 {
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "request", "req", id, "method", r.Method, "path", r.URL.Path, "status", info.status,
				"ms", time.Since(start).Milliseconds(), "in", r.ContentLength, "out", info.bytes, "device", info.device, "unit", info.unit,
				"remote", r.RemoteAddr)
		}()
		if v := r.Header.Get(wire.HeaderProtocol); v != "" && v != strconv.Itoa(wire.Version) {
			writeError(rec, http.StatusUpgradeRequired, wire.CodeProtocol, fmt.Sprintf("this hub speaks sync protocol %d, not %s", wire.Version, v))
			return
		}
		if r.URL.Path != wire.PathHealth {
			// Who asks is settled before a slot is taken: a bad token is answered at
			// once, a request nobody vouches for brings its small body first, and each
			// client gets a few slots at most, so no one client can hold the hub's.
			var client string
			var ok bool
			if r, client, ok = s.identify(rec, r, info); !ok {
				return
			}
			if !s.per.take(client) {
				rec.Header().Set("Connection", "close")
				rec.Header().Set("Retry-After", "2")
				writeError(rec, http.StatusTooManyRequests, wire.CodeBusy, "too many requests at once from this client; try again shortly")
				return
			}
			defer s.per.release(client)
			select {
			case s.slots <- struct{}{}:
				defer func() { <-s.slots }()
			default:
				rec.Header().Set("Retry-After", "2")
				writeError(rec, http.StatusTooManyRequests, wire.CodeBusy, "the hub is busy; try again shortly")
				return
			}
		}
		next.ServeHTTP(rec, r)
	})
}

// deviceKey holds the device a request's token names, once identify checked it.
type deviceKey struct{}

// identify names the client a request counts against: its device when it carries
// a token (checked here, answered 401 if bad, body unread), else its address,
// after its body arrived within the small limits of a request without a token.
// It returns the request to serve (with the device in its context); false means
// the request was answered.
func (s *Server) identify(w http.ResponseWriter, r *http.Request, info *logInfo) (*http.Request, string, bool) {
	// A refused request's connection is closed: the server would otherwise wait
	// for the rest of a body it will never use before it answers.
	refuse := func() { w.Header().Set("Connection", "close") }
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			refuse()
			writeError(w, http.StatusUnauthorized, wire.CodeUnauthorized, "a device token is required (Authorization: Bearer ...)")
			return r, "", false
		}
		d, err := s.st.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			refuse()
			s.fail(w, r, err)
			return r, "", false
		}
		info.device, info.unit = d.ID.String(), d.Unit
		return r.WithContext(context.WithValue(r.Context(), deviceKey{}, d)), "device " + d.ID.String(), true
	}
	if r.Body != nil && r.Body != http.NoBody {
		if err := preread(w, r); err != nil {
			refuse()
			s.bad(w, r, err)
			return r, "", false
		}
	}
	return r, "address " + remoteHost(r), true
}

// Limits on a request that carries no token: an enrolment's body is a few hundred
// bytes, sent at once.
const (
	maxAnonymousBody  = 4 << 10
	anonymousDeadline = 5 * time.Second
)

// preread reads the body of an unauthenticated request within anonymousDeadline and
// maxAnonymousBody, and hands the handler the bytes.
func preread(w http.ResponseWriter, r *http.Request) error {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(anonymousDeadline)) // not every writer has one; the server's timeouts remain
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAnonymousBody))
	_ = rc.SetReadDeadline(time.Time{})
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return &malformed{fmt.Errorf("the body did not arrive within %s", anonymousDeadline)}
	}
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, wire.CodeInternal, "encode answer")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	b = compressed(w, b)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lapordesk"`)
	}
	b, _ := json.Marshal(wire.Error{Error: wire.ErrorBody{Code: code, Message: msg}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// fail answers err with the status its kind calls for. Internal errors are logged
// and answered without detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	var oe *OffsetError
	var fe *lapordesk.FieldError
	var ve lapordesk.ValidationErrors
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit))
	case errors.Is(err, ErrTokenUsed):
		writeError(w, http.StatusUnauthorized, wire.CodeTokenUsed, ErrTokenUsed.Error())
	case errors.Is(err, ErrTokenExpired):
		writeError(w, http.StatusUnauthorized, wire.CodeTokenExpired, ErrTokenExpired.Error())
	case errors.Is(err, ErrUnauthorized):
		writeError(w, http.StatusUnauthorized, wire.CodeUnauthorized, ErrUnauthorized.Error())
	case errors.As(err, &oe):
		w.Header().Set(wire.HeaderOffset, strconv.FormatInt(oe.Offset, 10))
		writeError(w, http.StatusConflict, wire.CodeConflict, oe.Error())
	case errors.Is(err, ErrCursorAhead):
		writeError(w, http.StatusConflict, wire.CodeCursorAhead, err.Error())
	case errors.As(err, &fe), errors.As(err, &ve), errors.Is(err, lapordesk.ErrInvalid):
		writeError(w, http.StatusUnprocessableEntity, wire.CodeInvalid, err.Error())
	case errors.Is(err, lapordesk.ErrNotFound):
		writeError(w, http.StatusNotFound, wire.CodeNotFound, err.Error())
	case errors.Is(err, lapordesk.ErrConflict):
		writeError(w, http.StatusConflict, wire.CodeConflict, err.Error())
	case errors.Is(err, context.Canceled):
		writeError(w, http.StatusServiceUnavailable, wire.CodeUnavailable, "request cancelled")
	default:
		s.log.Error("internal error", "req", w.Header().Get(wire.HeaderRequest), "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, wire.CodeInternal, "internal error; the hub's log has the details")
	}
}

// decode reads a JSON body of at most max bytes into v, refusing unknown fields and
// trailing data.
func decode(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	switch enc := r.Header.Get("Content-Encoding"); {
	case enc == "" || strings.EqualFold(enc, "identity"):
	case strings.EqualFold(enc, "gzip"):
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return &malformed{fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		// The same limit on what it unpacks to: a small bomb stays small.
		r.Body = http.MaxBytesReader(w, zr, max)
	default:
		return &malformed{fmt.Errorf("content encoding %.40q: only gzip", enc)}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &malformed{err}
	}
	if dec.More() {
		return &malformed{errors.New("data after the JSON document")}
	}
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		return err
	}
	return nil
}

type malformed struct{ err error }

func (m *malformed) Error() string { return "malformed request body: " + m.err.Error() }

// bad answers a request whose body could not be read.
func (s *Server) bad(w http.ResponseWriter, r *http.Request, err error) {
	var m *malformed
	if errors.As(err, &m) {
		writeError(w, http.StatusBadRequest, wire.CodeMalformed, m.Error())
		return
	}
	s.fail(w, r, err)
}

// authed wraps a handler that needs a device.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := r.Context().Value(deviceKey{}).(Device)
		if !ok {
			writeError(w, http.StatusUnauthorized, wire.CodeUnauthorized, "a device token is required (Authorization: Bearer ...)")
			return
		}
		h(w, r, d)
	}
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, wire.Health{Status: "ok", Protocol: wire.Version, Server: "lapordesk-server"})
}

func (s *Server) enroll(w http.ResponseWriter, r *http.Request) {
	var req wire.EnrollRequest
	if err := decode(w, r, wire.MaxSmallBody, &req); err != nil {
		s.bad(w, r, err)
		return
	}
	d, err := s.st.Enroll(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Hub = s.st.ID()
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, d Device) {
	u, err := unitByCode(r.Context(), s.st.r, d.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.Device{ID: d.ID, Unit: u, Role: d.Role, Protocol: wire.Version, Hub: s.st.ID()})
}

func (s *Server) refData(w http.ResponseWriter, r *http.Request, _ Device) {
	rd, etag, err := s.st.RefData(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, rd)
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, d Device) {
	var req wire.PushRequest
	if err := decode(w, r, wire.MaxPushBytes, &req); err != nil {
		s.bad(w, r, err)
		return
	}
	if len(req.Events) > wire.MaxPushEvents {
		writeError(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge, fmt.Sprintf("%d events in one push, at most %d", len(req.Events), wire.MaxPushEvents))
		return
	}
	res, err := s.st.Push(r.Context(), d, req.Events)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, x := range res {
		if x.Status == wire.Refused || x.Status == wire.Conflict {
			s.log.Warn("event "+x.Status, "req", w.Header().Get(wire.HeaderRequest), "device", d.ID, "event", x.ID, "code", x.Code, "reason", x.Reason)
		}
	}
	writeJSON(w, http.StatusOK, wire.PushResponse{Hub: s.st.ID(), Results: res})
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, d Device) {
	q := r.URL.Query()
	cursor, err1 := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, err2 := strconv.Atoi(q.Get("limit"))
	if q.Get("limit") == "" {
		limit, err2 = 1000, nil
	}
	if err1 != nil || err2 != nil || cursor < 0 || limit < 1 || limit > wire.MaxPullEvents {
		writeError(w, http.StatusBadRequest, wire.CodeMalformed, fmt.Sprintf("want after=N (N >= 0) and limit=1..%d", wire.MaxPullEvents))
		return
	}
	maxBytes := 0
	if v := q.Get("bytes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, wire.CodeMalformed, "want bytes=N (N >= 1)")
			return
		}
		maxBytes = n
	}
	page, err := s.st.Pull(r.Context(), d, cursor, limit, q.Get("count") == "1", q.Get("own") == "ids", maxBytes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Hub = s.st.ID()
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) blobStatus(w http.ResponseWriter, r *http.Request, d Device) {
	var req wire.BlobStatusRequest
	if err := decode(w, r, 2*wire.MaxSmallBody+int64(wire.MaxStatusHashes)*70, &req); err != nil {
		s.bad(w, r, err)
		return
	}
	if len(req.SHA256) > wire.MaxStatusHashes {
		writeError(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge, fmt.Sprintf("at most %d hashes at once", wire.MaxStatusHashes))
		return
	}
	res, err := s.st.BlobStatus(r.Context(), d, req.SHA256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, d Device) {
	sha := r.PathValue("sha")
	if !ValidSHA(sha) {
		writeError(w, http.StatusBadRequest, wire.CodeMalformed, "want a lower-case hex SHA-256")
		return
	}
	if r.Method == http.MethodHead {
		complete, offset, err := s.st.BlobInfo(r.Context(), d, sha)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set(wire.HeaderOffset, strconv.FormatInt(offset, 10))
		if !complete {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(offset, 10))
		w.WriteHeader(http.StatusOK)
		return
	}
	data, mime, err := s.st.Blob(r.Context(), d, sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mime == "" {
		mime = "application/octet-stream"
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("ETag", `"`+sha+`"`)
	// ServeContent answers Range requests: an interrupted download resumes.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func (s *Server) putBlob(w http.ResponseWriter, r *http.Request, d Device) {
	sha := r.PathValue("sha")
	offset, err1 := strconv.ParseInt(r.Header.Get(wire.HeaderOffset), 10, 64)
	total, err2 := strconv.ParseInt(r.Header.Get(wire.HeaderLength), 10, 64)
	if !ValidSHA(sha) || err1 != nil || err2 != nil {
		writeError(w, http.StatusBadRequest, wire.CodeMalformed, "want /v1/blobs/SHA256 with Upload-Offset and Upload-Length headers")
		return
	}
	if total > wire.MaxBlobSize {
		writeError(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge, fmt.Sprintf("attachment of %d bytes, at most %d", total, wire.MaxBlobSize))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxChunk))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next, err := s.st.PutChunk(r.Context(), d, sha, offset, total, r.Header.Get("Content-Type"), data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set(wire.HeaderOffset, strconv.FormatInt(next, 10))
	w.WriteHeader(http.StatusNoContent)
}

// ServeOptions configures Serve.
type ServeOptions struct {
	Addr              string
	Listener          net.Listener     // serve on this instead of listening on Addr
	TLSCert, TLSKey   string           // both or neither
	Certificate       *tls.Certificate // serve HTTPS with this one (the hub's own, OwnCertificate)
	Logger            *slog.Logger
	ShutdownTimeout   time.Duration // for requests in flight at shutdown; 0 means 30 s
	Ready             func(addr net.Addr)
	ReadTimeout       time.Duration // 0 means 2 minutes: a stalled client is dropped
	WriteTimeout      time.Duration // 0 means 2 minutes
	ReadHeaderTimeout time.Duration // 0 means 10 seconds
}

// Serve listens on o.Addr and serves h until ctx ends, then stops taking requests
// and lets those in flight finish (up to o.ShutdownTimeout).
func Serve(ctx context.Context, h http.Handler, o ServeOptions) error {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.ShutdownTimeout, 30*time.Second)
	def(&o.ReadTimeout, 2*time.Minute)
	def(&o.WriteTimeout, 2*time.Minute)
	def(&o.ReadHeaderTimeout, 10*time.Second)
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return fmt.Errorf("TLS needs both a certificate and a key: %w", lapordesk.ErrInvalid)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       o.ReadTimeout,
		WriteTimeout:      o.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn),
	}
	ln := o.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", o.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", o.Addr, err)
		}
	}
	cert := o.Certificate
	if o.TLSCert != "" {
		c, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("TLS certificate: %w", err)
		}
		cert = &c
	}
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	if o.Ready != nil {
		o.Ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	o.Logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
