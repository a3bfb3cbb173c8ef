package sync

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// Status is what the GUI's status bar shows. Values are snapshots: a subscriber
// may keep them.
type Status struct {
	Enrolled bool           `json:"enrolled"`
	HubURL   string         `json:"hub_url,omitempty"`
	Unit     string         `json:"unit,omitempty"`
	Role     lapordesk.Role `json:"role,omitempty"`
	Device   uuid.UUID      `json:"device"`
	Online   bool           `json:"online"` // the hub answered the last probe or round
	Syncing  bool           `json:"syncing"`
	Progress Progress       `json:"progress"` // of the round under way (or the last one)
	Pending  int            `json:"pending"`  // events in the outbox
	// Conflicts counts the reports with a conflict to resolve.
	Conflicts   int       `json:"conflicts"`
	LastSync    time.Time `json:"last_sync"`              // end of the last completed round; zero: never
	LastSummary *Summary  `json:"last_summary,omitempty"` // of the last completed round
	// LastError is the last round's error as kept in the store ("" after a good one).
	LastError string `json:"last_error,omitempty"`
	// Err is the service's last round's (or probe's) error, nil after a good round.
	// Describe explains it to the user.
	Err error `json:"-"`
	// NextAttempt is when the service will next probe or sync by itself.
	NextAttempt time.Time `json:"next_attempt"`
}

// ServiceOptions tunes the Service.
type ServiceOptions struct {
	Round    Options       // client and round options (Progress is the service's own)
	Interval time.Duration // between rounds while online (default 5 minutes)
	// ProbeMin and ProbeMax bound the wait between probes of /healthz while
	// offline: it doubles from ProbeMin (default 15 s) up to ProbeMax (5 minutes).
	ProbeMin, ProbeMax time.Duration
	// Debounce is the wait after a local change before a round sends it (10 s),
	// so a burst of edits goes in one round.
	Debounce time.Duration
}

// Service keeps a desk in sync in the background: while offline it probes the hub
// now and then; on reconnect it syncs at once, then every Interval, soon after a
// local change, and on demand. It runs one round at a time.
type Service struct {
	st *storage.Store
	o  ServiceOptions

	kick, changed chan struct{}

	mu      sync.Mutex // guards the fields below
	status  Status
	subs    map[int]chan Status
	nextSub int
	cancel  context.CancelFunc
	done    chan struct{}
	waiters []chan error // SyncAndWait callers waiting for the next round
}

// NewService returns a stopped service for st.
func NewService(st *storage.Store, o ServiceOptions) *Service {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Interval, 5*time.Minute)
	def(&o.ProbeMin, 15*time.Second)
	def(&o.ProbeMax, 5*time.Minute)
	def(&o.Debounce, 10*time.Second)
	return &Service{st: st, o: o, kick: make(chan struct{}, 1), changed: make(chan struct{}, 1), subs: map[int]chan Status{}}
}

// Start starts the background work; it returns at once. Starting a started
// service does nothing.
func (s *Service) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go s.loop(ctx, s.done)
}

// Stop stops the background work and waits for it; a round under way is cut
// (safely: what it committed stays, the next round completes it).
func (s *Service) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel, s.done = nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// SyncNow asks for a round as soon as possible (after the one under way). Offline,
// it probes the hub first. It also picks up a new enrolment.
func (s *Service) SyncNow() { signal(s.kick) }

// ErrStopped: the service is not running.
var ErrStopped = errors.New("the sync service is not running")

// SyncAndWait asks for a round and waits until a round that started after the
// request has ended (so it includes every change made before the call), returning
// its error: nil, an offline error when the hub could not be reached, ErrNotEnrolled.
// For a "sync now" button that shows the outcome; call it off the UI goroutine.
func (s *Service) SyncAndWait(ctx context.Context) error {
	ch := make(chan error, 1)
	s.mu.Lock()
	if s.cancel == nil {
		s.mu.Unlock()
		return ErrStopped
	}
	s.waiters = append(s.waiters, ch)
	s.mu.Unlock()
	s.SyncNow()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// takeWaiters returns the callers waiting for a round, which the round about to
// start will answer.
func (s *Service) takeWaiters() []chan error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.waiters
	s.waiters = nil
	return w
}

func answer(waiters []chan error, err error) {
	for _, ch := range waiters {
		ch <- err
	}
}

// Changed tells the service that this desk changed data: the pending count is
// refreshed and a round follows shortly.
func (s *Service) Changed() { signal(s.changed) }

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Status returns the current status.
func (s *Service) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Subscribe returns a channel that receives the status on every change (only the
// latest when the reader is slow) and a function that ends the subscription. The
// current status is sent at once. A GUI reads it in its own goroutine and hands
// each value to the UI goroutine (fyne.Do).
func (s *Service) Subscribe() (<-chan Status, func()) {
	ch := make(chan Status, 1)
	s.mu.Lock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = ch
	ch <- s.status
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
	}
}

// update changes the status and tells every subscriber.
func (s *Service) update(fn func(*Status)) {
	s.mu.Lock()
	fn(&s.status)
	st := s.status
	subs := make([]chan Status, 0, len(s.subs))
	for _, ch := range s.subs {
		subs = append(subs, ch)
	}
	s.mu.Unlock()
	for _, ch := range subs {
		select { // drop a value the reader has not taken yet: only the latest counts
		case <-ch:
		default:
		}
		select {
		case ch <- st:
		default:
		}
	}
}

// ReadStatus reads a desk's sync status from its store: enrolment, counts and the
// last round. Online, Syncing, Progress and NextAttempt are the Service's to know.
func ReadStatus(ctx context.Context, st *storage.Store) (Status, error) {
	var out Status
	cfg, cfgErr := LoadConfig(ctx, st)
	out.Enrolled = cfgErr == nil
	out.HubURL, out.Unit, out.Role, out.Device = cfg.HubURL, cfg.Unit, cfg.Role, cfg.DeviceID
	var err1, err2, err3 error
	out.Pending, err1 = st.Pending(ctx)
	out.Conflicts, err2 = st.ConflictCount(ctx)
	if v, _, _ := st.SyncValue(ctx, KeyLastSync); v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			out.LastSync = t.Local()
		}
	}
	var sum Summary
	if err3 = syncJSON(ctx, st, KeyLastSummary, &sum); err3 == nil && !sum.Started.IsZero() {
		out.LastSummary = &sum
	}
	out.LastError, _, _ = st.SyncValue(ctx, KeyLastError)
	return out, errors.Join(cfgErr, err1, err2, err3)
}

// refresh reads the status from the store, keeping what only the service knows.
func (s *Service) refresh(ctx context.Context) (Config, error) {
	cfg, cfgErr := LoadConfig(ctx, s.st)
	rs, err := ReadStatus(ctx, s.st)
	s.update(func(st *Status) {
		rs.Online, rs.Syncing, rs.Progress, rs.NextAttempt, rs.Err = st.Online, st.Syncing, st.Progress, st.NextAttempt, st.Err
		if cfgErr != nil && !errors.Is(cfgErr, ErrNotEnrolled) {
			rs.Err = cfgErr
		}
		*st = rs
	})
	return cfg, err
}

// Probe asks the hub's /healthz once, with a short timeout and no retries: nil
// when the hub answers.
func Probe(ctx context.Context, cfg Config, co ClientOptions) error {
	co = cfg.client(co)
	co.Retries = -1
	if co.Timeout <= 0 || co.Timeout > 15*time.Second {
		co.Timeout = 15 * time.Second
	}
	c, err := NewClient(cfg.HubURL, "", co)
	if err != nil {
		return err
	}
	return c.Health(ctx)
}

func (s *Service) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	online := false
	probes := 0
	defer func() { answer(s.takeWaiters(), ErrStopped) }()
	for ctx.Err() == nil {
		waiters := s.takeWaiters()
		cfg, err := s.refresh(ctx)
		if errors.Is(err, ErrNotEnrolled) {
			answer(waiters, ErrNotEnrolled)
			s.update(func(st *Status) { st.Online, st.NextAttempt = false, time.Time{} })
			s.wait(ctx, 0, false) // until SyncNow (after an enrolment) or Stop
			continue
		}
		if !online {
			if err := Probe(ctx, cfg, s.o.Round.Client); err != nil {
				answer(waiters, err)
				wait := backoff(s.o.ProbeMin, s.o.ProbeMax, probes)
				probes++
				s.update(func(st *Status) { st.Online, st.Err, st.NextAttempt = false, err, time.Now().Add(wait) })
				s.wait(ctx, wait, false)
				continue
			}
			online, probes = true, 0
		}
		wait := s.o.Interval
		s.update(func(st *Status) {
			st.Online, st.Syncing = true, true
			st.Progress = Progress{Phase: PhaseConnect, ToReceive: -1}
		})
		ro := s.o.Round
		ro.Progress = func(p Progress) { s.update(func(st *Status) { st.Progress = p }) }
		sum, err := Run(ctx, s.st, ro)
		var he *HubError
		switch {
		case ctx.Err() != nil:
			s.update(func(st *Status) { st.Syncing = false })
			answer(waiters, ErrStopped)
			return
		case err == nil:
			s.update(func(st *Status) { st.Syncing, st.Err, st.LastSummary = false, nil, &sum })
		case Offline(err):
			online, wait = false, s.o.ProbeMin
		case errors.As(err, &he) && he.Temporary():
			wait = max(he.RetryAfter, s.o.ProbeMin)
		case errors.Is(err, ErrBusy): // another program (the CLI) is syncing this file
			wait = s.o.ProbeMin
		}
		if err != nil {
			s.update(func(st *Status) { st.Syncing, st.Online, st.Err = false, online, err })
		}
		_, _ = s.refresh(ctx) // the round changed the outbox and conflicts
		s.update(func(st *Status) { st.NextAttempt = time.Now().Add(wait) })
		answer(waiters, err) // after the status tells the round's outcome
		s.wait(ctx, wait, online)
	}
}

// wait sleeps for d (forever when d is 0) or until SyncNow; after a local change
// it refreshes the counts and, when online, shortens the wait to the debounce.
func (s *Service) wait(ctx context.Context, d time.Duration, online bool) {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
			return
		case <-timer:
			return
		case <-s.changed:
			_, _ = s.refresh(ctx)
			if online && (d == 0 || d > s.o.Debounce) {
				t := time.NewTimer(s.o.Debounce)
				defer t.Stop()
				timer, d = t.C, s.o.Debounce
			}
		}
	}
}
