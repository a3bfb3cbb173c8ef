package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// ClientOptions tunes the HTTP client. Zero values take the defaults, which suit
// an SKPD's slow and patchy line.
type ClientOptions struct {
	// Timeout bounds one request, body included (default 2 minutes: a 4 MB page
	// over a 256 kbit/s line).
	Timeout time.Duration
	// Retries is how often a request is tried again after a network error, a 5xx
	// or a 429 (default 4), waiting RetryWait doubled each time with jitter, at
	// most RetryMaxWait (defaults 1 s and 30 s). Other 4xx are not retried.
	Retries      int
	RetryWait    time.Duration
	RetryMaxWait time.Duration
	// CA is a PEM certificate to trust besides the system's, for a hub with a
	// certificate of its own.
	CA []byte
	// Pin is the fingerprint (wire.Fingerprint) of the hub's own certificate, or the
	// start of it an enrolment token carries: the hub is trusted by that key alone.
	Pin string
	// PlainHTTP allows http:// to an address that is not this machine's.
	PlainHTTP bool
	// Transport replaces the HTTP transport (tests count bytes with it).
	Transport http.RoundTripper
	// pinned hears the whole fingerprint of a hub that matched Pin (enrolment keeps it).
	pinned func(fingerprint string)
}

func (o *ClientOptions) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Retries == 0 {
		o.Retries = 4
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryWait <= 0 {
		o.RetryWait = time.Second
	}
	if o.RetryMaxWait <= 0 {
		o.RetryMaxWait = 30 * time.Second
	}
}

// Client speaks the sync protocol to one hub.
type Client struct {
	r    *resty.Client
	once *resty.Client // no retries: downloads resume by themselves
	o    ClientOptions
	// gzipUp: the hub said it takes gzipped requests (Accept-Encoding on its
	// answers), so bodies worth it go compressed. An older hub never says so.
	gzipUp atomic.Bool
	// pullPace sizes pull pages, upPace upload chunks, by the rate measured.
	pullPace, upPace *pacer
	epoch            atomic.Value // string: the hub's epoch, from its last answer
}

// Epoch is the hub's epoch as its last answer named it ("" from an older hub).
func (c *Client) Epoch() string {
	s, _ := c.epoch.Load().(string)
	return s
}

// minGzip is the smallest body worth compressing.
const minGzip = 860

// gzipped returns b compressed.
func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// quietLogger keeps resty's retry warnings off the user's terminal; failures
// reach the caller as errors.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// CheckURL checks a hub address: http or https, a host, no query. An address
// without a scheme ("192.168.1.10:8080", as an administrator reads it out) is
// https, which every hub serves unless told otherwise.
func CheckURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &lapordesk.FieldError{Field: "server", Problem: lapordesk.ProblemFormat, Value: raw}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// checkPlain refuses http:// to another machine unless allowed: on the office
// network anyone could read the reports and take the device's token.
func checkPlain(base string, allowed bool) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || allowed {
		return nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() || host == "localhost" {
		return nil
	}
	return &PlainHTTPError{Host: u.Host}
}

// NewClient returns a client of the hub at baseURL; token is the device token
// ("" before enrolment).
func NewClient(baseURL, token string, o ClientOptions) (*Client, error) {
	o.defaults()
	base, err := CheckURL(baseURL)
	if err != nil {
		return nil, err
	}
	if err := checkPlain(base, o.PlainHTTP); err != nil {
		return nil, err
	}
	tr := o.Transport
	if tr == nil {
		tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
		if o.Pin != "" {
			pin, heard := o.Pin, o.pinned
			// The pin replaces the CA chain: the hub's certificate is its own.
			tlsConf.InsecureSkipVerify = true
			tlsConf.VerifyConnection = func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return &PinError{Want: pin, Got: "(none)"}
				}
				got := wire.Fingerprint(cs.PeerCertificates[0])
				if !wire.PinMatches(got, pin) {
					return &PinError{Want: pin, Got: got}
				}
				if heard != nil {
					heard(got)
				}
				return nil
			}
		}
		if len(o.CA) > 0 {
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(o.CA) {
				return nil, &lapordesk.FieldError{Field: "ca", Problem: lapordesk.ProblemFormat}
			}
			tlsConf.RootCAs = pool
		}
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       tlsConf,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: o.Timeout,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		}
	}
	// Each request should take about a sixth of the timeout on the line as it is.
	target := max(o.Timeout/6, time.Second)
	c := &Client{o: o, pullPace: newPacer(64<<10, 16<<10, wire.PullPageBytes, target), upPace: newPacer(64<<10, 16<<10, wire.MaxChunk, target)}
	c.r = resty.New().
		SetTransport(tr).
		SetBaseURL(base).
		SetLogger(quietLogger{}).
		SetTimeout(o.Timeout).
		SetHeader(wire.HeaderProtocol, strconv.Itoa(wire.Version)).
		SetHeader("User-Agent", "lapordesk/"+strconv.Itoa(wire.Version)).
		SetResponseBodyLimit(wire.MaxBlobSize + 1<<20).
		SetRetryCount(o.Retries).
		SetRetryWaitTime(o.RetryWait).
		SetRetryMaxWaitTime(o.RetryMaxWait).
		AddRetryCondition(retryable).
		SetRetryAfter(retryAfter)
	if token != "" {
		c.r.SetAuthToken(token)
	}
	c.once = c.r.Clone().SetRetryCount(0)
	return c, nil
}

// retryable: network errors, 5xx (but 501) and 429 are worth another try; other
// answers are final.
func retryable(resp *resty.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !isCertError(err)
	}
	if resp == nil {
		return false
	}
	s := resp.StatusCode()
	return s == http.StatusTooManyRequests || s >= 500 && s != http.StatusNotImplemented
}

// retryAfter honours the hub's Retry-After; a wait longer than the client's
// longest stops the retries, and the error carries the wait for the scheduler.
func retryAfter(c *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp == nil {
		return 0, nil
	}
	d := parseRetryAfter(resp.Header().Get("Retry-After"))
	if d > c.RetryMaxWaitTime {
		return 0, hubError(resp)
	}
	return d, nil
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

func hubError(resp *resty.Response) *HubError {
	he := &HubError{Status: resp.StatusCode(), RetryAfter: parseRetryAfter(resp.Header().Get("Retry-After"))}
	var body wire.Error
	if json.Unmarshal(resp.Body(), &body) == nil && body.Error.Code != "" {
		he.Code, he.Message = body.Error.Code, body.Error.Message
	} else {
		he.Message = http.StatusText(he.Status)
	}
	return he
}

// do sends a request with JSON body in (if any) and decodes a 2xx JSON answer into
// out (if any). Network failures become NetError, hub refusals HubError.
func (c *Client) do(ctx context.Context, method, path string, in, out any, mod func(*resty.Request)) (*resty.Response, error) {
	req := c.r.R().SetContext(ctx)
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		req.SetHeader("Content-Type", "application/json")
		if len(b) >= minGzip && c.gzipUp.Load() {
			if z, err := gzipped(b); err == nil {
				b = z
				req.SetHeader("Content-Encoding", "gzip")
			}
		}
		req.SetBody(b)
	}
	if mod != nil {
		mod(req)
	}
	resp, err := req.Execute(method, path)
	return c.finish(ctx, resp, err, out)
}

func (c *Client) finish(ctx context.Context, resp *resty.Response, err error, out any) (*resty.Response, error) {
	if resp != nil && resp.RawResponse != nil {
		if strings.Contains(strings.ToLower(resp.Header().Get("Accept-Encoding")), "gzip") {
			c.gzipUp.Store(true)
		}
		if e := resp.Header().Get(wire.HeaderEpoch); e != "" {
			c.epoch.Store(e)
		}
	}
	if err != nil {
		var he *HubError
		switch {
		case errors.As(err, &he):
			return resp, he
		case ctx.Err() != nil:
			return resp, ctx.Err()
		case isCertError(err):
			return resp, &CertError{Err: err}
		}
		return resp, &NetError{Err: err}
	}
	if resp.StatusCode() >= 400 {
		return resp, hubError(resp)
	}
	if out != nil && resp.StatusCode() != http.StatusNotModified {
		if err := json.Unmarshal(resp.Body(), out); err != nil {
			return resp, &ProtocolError{Msg: fmt.Sprintf("%s %s: %v", resp.Request.Method, resp.Request.URL, err)}
		}
	}
	return resp, nil
}

// Health probes /healthz: nil when the hub answers.
func (c *Client) Health(ctx context.Context) error {
	var h wire.Health
	if _, err := c.do(ctx, http.MethodGet, wire.PathHealth, nil, &h, nil); err != nil {
		return err
	}
	if h.Status != "ok" || h.Protocol != wire.Version {
		return &ProtocolError{Msg: fmt.Sprintf("health %q, protocol %d", h.Status, h.Protocol)}
	}
	return nil
}

// Enroll exchanges an enrolment token for a device identity.
func (c *Client) Enroll(ctx context.Context, req wire.EnrollRequest) (wire.Device, error) {
	var d wire.Device
	_, err := c.do(ctx, http.MethodPost, wire.PathEnroll, req, &d, nil)
	return d, err
}

// Me returns what the hub knows of this device.
func (c *Client) Me(ctx context.Context) (wire.Device, error) {
	var d wire.Device
	_, err := c.do(ctx, http.MethodGet, wire.PathMe, nil, &d, nil)
	return d, err
}

// RefData fetches the reference data unless its version is still etag; changed
// is false (and rd empty) when it is.
func (c *Client) RefData(ctx context.Context, etag string) (rd wire.RefData, newETag string, changed bool, err error) {
	resp, err := c.do(ctx, http.MethodGet, wire.PathRefData, nil, &rd, func(r *resty.Request) {
		if etag != "" {
			r.SetHeader("If-None-Match", etag)
		}
	})
	if err != nil {
		return rd, "", false, err
	}
	return rd, resp.Header().Get("ETag"), resp.StatusCode() != http.StatusNotModified, nil
}

// Push sends events; the answer has one result per event, in order.
func (c *Client) Push(ctx context.Context, events []wire.PushEvent) (wire.PushResponse, error) {
	var out wire.PushResponse
	_, err := c.do(ctx, http.MethodPost, wire.PathPush, wire.PushRequest{Events: events}, &out, nil)
	if err == nil && len(out.Results) != len(events) {
		return out, &ProtocolError{Msg: fmt.Sprintf("%d results for %d events", len(out.Results), len(events))}
	}
	return out, err
}

// Pull fetches a page of the device's feed after cursor.
//
// With ownIDs, events this device pushed come as ID and hash only (see
// wire.PulledEvent); an older hub sends them whole, which works the same.
func (c *Client) Pull(ctx context.Context, cursor int64, limit int, count, ownIDs bool) (wire.PullResponse, error) {
	var out wire.PullResponse
	start := time.Now()
	resp, err := c.do(ctx, http.MethodGet, wire.PathPull, nil, &out, func(r *resty.Request) {
		r.SetQueryParam("after", strconv.FormatInt(cursor, 10)).SetQueryParam("limit", strconv.Itoa(limit)).
			SetQueryParam("bytes", strconv.Itoa(c.pullPace.next()))
		if count {
			r.SetQueryParam("count", "1")
		}
		if ownIDs {
			r.SetQueryParam("own", "ids")
		}
	})
	c.pace(c.pullPace, resp, err, start)
	return out, err
}

// pace tells p how a request went: its body's size and time, or that it broke off.
func (c *Client) pace(p *pacer, resp *resty.Response, err error, start time.Time) {
	var ne *NetError
	switch {
	case errors.As(err, &ne):
		p.failed()
	case err == nil && resp != nil:
		n := len(resp.Body())
		if resp.Request != nil {
			if b, ok := resp.Request.Body.([]byte); ok {
				n += len(b)
			}
		}
		p.observe(n, time.Since(start))
	}
}

// BlobStatus asks which attachments the hub holds.
func (c *Client) BlobStatus(ctx context.Context, hashes []string) (wire.BlobStatusResponse, error) {
	var out wire.BlobStatusResponse
	_, err := c.do(ctx, http.MethodPost, wire.PathBlobStatus, wire.BlobStatusRequest{SHA256: hashes}, &out, nil)
	return out, err
}

// Upload sends an attachment's content from byte offset on, in chunks, and
// resumes wherever the hub says its copy ends (after a chunk whose answer was lost).
func (c *Client) Upload(ctx context.Context, sha, mime string, data []byte, offset int64, chunk int) error {
	if chunk <= 0 || chunk > wire.MaxChunk {
		chunk = 1 << 20
	}
	total := int64(len(data))
	for tries := 0; offset < total; tries++ {
		if tries > 4*(len(data)/chunk+1)+c.o.Retries {
			return &ProtocolError{Msg: "upload of " + sha + " makes no progress"}
		}
		end := min(offset+int64(min(chunk, c.upPace.next())), total)
		start := time.Now()
		resp, err := c.do(ctx, http.MethodPut, wire.PathBlobs+sha, nil, nil, func(r *resty.Request) {
			r.SetHeader(wire.HeaderOffset, strconv.FormatInt(offset, 10)).
				SetHeader(wire.HeaderLength, strconv.FormatInt(total, 10)).
				SetHeader("Content-Type", mimeOr(mime)).
				SetBody(data[offset:end])
		})
		c.pace(c.upPace, resp, err, start)
		var he *HubError
		if errors.As(err, &he) && he.Status == http.StatusConflict && resp != nil && resp.Header().Get(wire.HeaderOffset) != "" {
			offset, _ = strconv.ParseInt(resp.Header().Get(wire.HeaderOffset), 10, 64)
			continue
		}
		if err != nil {
			return err
		}
		next, perr := strconv.ParseInt(resp.Header().Get(wire.HeaderOffset), 10, 64)
		if perr != nil || next <= offset && next < total {
			return &ProtocolError{Msg: "upload offset " + resp.Header().Get(wire.HeaderOffset)}
		}
		offset = next
	}
	return nil
}

func mimeOr(m string) string {
	if m == "" {
		return "application/octet-stream"
	}
	return m
}

// Download fetches an attachment into the file part, resuming from what the file
// already holds (a download cut by the network or a power cut continues where it
// stopped), and returns the content and its MIME type.
func (c *Client) Download(ctx context.Context, sha, part string) ([]byte, string, error) {
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("attachment download: %w", err)
	}
	defer f.Close()
	var lastErr error
	for attempt := 0; attempt <= c.o.Retries; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, backoff(c.o.RetryWait, c.o.RetryMaxWait, attempt-1)); err != nil {
				return nil, "", err
			}
		}
		have, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, "", err
		}
		if have > wire.MaxBlobSize {
			_ = f.Truncate(0)
			have = 0
		}
		mime, err := c.downloadFrom(ctx, sha, f, have)
		if err == nil {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return nil, "", err
			}
			data, err := io.ReadAll(f)
			return data, mime, err
		}
		lastErr = err
		var he *HubError
		if errors.As(err, &he) && !he.Temporary() || ctx.Err() != nil {
			return nil, "", err
		}
	}
	return nil, "", lastErr
}

// downloadFrom appends the content from byte have to f, until f is complete.
func (c *Client) downloadFrom(ctx context.Context, sha string, f *os.File, have int64) (string, error) {
	req := c.once.R().SetContext(ctx).SetDoNotParseResponse(true)
	if have > 0 {
		req.SetHeader("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := req.Get(wire.PathBlobs + sha)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &NetError{Err: err}
	}
	body := resp.RawBody()
	defer body.Close()
	restart := func() error {
		if err := f.Truncate(0); err != nil {
			return err
		}
		_, err := f.Seek(0, io.SeekStart)
		return err
	}
	switch resp.StatusCode() {
	case http.StatusOK: // the whole content
		if err := restart(); err != nil {
			return "", err
		}
	case http.StatusPartialContent:
		if !strings.HasPrefix(resp.Header().Get("Content-Range"), fmt.Sprintf("bytes %d-", have)) {
			_ = restart()
			return "", &ProtocolError{Msg: "content range " + resp.Header().Get("Content-Range")}
		}
	case http.StatusRequestedRangeNotSatisfiable:
		_ = restart() // the part on disk is longer than the content: start again
		return "", &NetError{Err: errors.New("range not satisfiable")}
	default:
		b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
		he := &HubError{Status: resp.StatusCode(), Message: http.StatusText(resp.StatusCode())}
		var e wire.Error
		if json.Unmarshal(b, &e) == nil && e.Error.Code != "" {
			he.Code, he.Message = e.Error.Code, e.Error.Message
		}
		return "", he
	}
	if _, err := io.Copy(f, io.LimitReader(body, wire.MaxBlobSize+1)); err != nil {
		return "", &NetError{Err: err} // what arrived stays in the file
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return resp.Header().Get("Content-Type"), nil
}

// backoff is the wait before retry attempt (0-based): base doubled per attempt, at
// most max, with full jitter in its upper half so desks that lost the hub together
// do not return together.
func backoff(base, max time.Duration, attempt int) time.Duration {
	d := base << min(attempt, 20)
	if d <= 0 || d > max {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
