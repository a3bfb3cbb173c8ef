package ui

import (
	"context"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// pageFetcher reads one page of a list after a cursor (storage.Store.List).
type pageFetcher func(ctx context.Context, f lapordesk.Filter, limit int, after string) (lapordesk.Page, error)

// pager feeds a virtualized list from the store page by page. It holds the cursor
// that starts each page it has seen, and the rows of only the few pages seen last:
// scrolling through a million reports keeps a few hundred rows in memory, and a
// page dropped from memory is read again from its cursor when it comes back into
// view. All its methods run on the UI goroutine; reads go through Async.
type pager struct {
	async    *Async
	fetch    pageFetcher
	size     int // rows per page
	maxPages int // pages whose rows stay in memory

	filter  lapordesk.Filter
	gen     int // increases with every reset; late answers of older filters are dropped
	pages   []*listPage
	more    bool // a page follows the last known one
	tick    int  // use counter for eviction
	loading map[int]bool
	err     error

	onChange func()          // rows or length changed
	onError  func(err error) // a read failed
	onFirst  func(n int)     // the first page of a reset arrived
}

type listPage struct {
	after string // cursor this page starts after ("" for the first)
	next  string // cursor of the following page
	items []lapordesk.Item
	count int  // rows in the page (kept when items are dropped)
	used  int  // tick of last use
	held  bool // items are in memory
}

func newPager(a *Async, fetch pageFetcher, size, maxPages int) *pager {
	return &pager{async: a, fetch: fetch, size: size, maxPages: maxPages, loading: map[int]bool{}}
}

// Reset starts over with filter f: the first page is read, everything else dropped.
func (p *pager) Reset(f lapordesk.Filter) {
	p.filter = f
	p.gen++
	p.pages = nil
	p.more = false
	p.err = nil
	p.loading = map[int]bool{}
	p.load(0)
}

// Filter returns the current filter.
func (p *pager) Filter() lapordesk.Filter { return p.filter }

// Len is the number of rows the list shows: every row read so far, plus one row
// saying "loading" when more follow (showing it reads the next page).
func (p *pager) Len() int {
	n := 0
	for _, pg := range p.pages {
		n += pg.count
	}
	if p.more {
		n++
	}
	return n
}

// Loaded reports the number of rows known so far and whether more follow.
func (p *pager) Loaded() (int, bool) {
	n := 0
	for _, pg := range p.pages {
		n += pg.count
	}
	return n, p.more
}

// Item returns row i. When the row is not in memory it returns false and reads its
// page; onChange fires when it arrives.
func (p *pager) Item(i int) (lapordesk.Item, bool) {
	pi, off := i/p.size, i%p.size
	if pi >= len(p.pages) {
		if p.more && pi == len(p.pages) {
			p.load(pi)
		}
		return lapordesk.Item{}, false
	}
	pg := p.pages[pi]
	if !pg.held {
		p.load(pi)
		return lapordesk.Item{}, false
	}
	p.tick++
	pg.used = p.tick
	if off >= len(pg.items) {
		return lapordesk.Item{}, false
	}
	return pg.items[off], true
}

// IndexOf returns the row of report id among the rows in memory, or -1.
func (p *pager) IndexOf(id uuid.UUID) int {
	for pi, pg := range p.pages {
		if !pg.held {
			continue
		}
		for j, it := range pg.items {
			if it.ID == id {
				return pi*p.size + j
			}
		}
	}
	return -1
}

// load reads page pi (a page seen before, or the one after the last).
func (p *pager) load(pi int) {
	if p.loading[pi] {
		return
	}
	after := ""
	switch {
	case pi < len(p.pages):
		after = p.pages[pi].after
	case pi == len(p.pages) && pi > 0:
		after = p.pages[pi-1].next
	case pi > 0:
		return
	}
	p.loading[pi] = true
	gen, f, size := p.gen, p.filter, p.size
	Go(p.async, func(ctx context.Context) (lapordesk.Page, error) {
		return p.fetch(ctx, f, size, after)
	}, func(pg lapordesk.Page, err error) {
		if gen != p.gen {
			return // an answer for a filter no longer shown
		}
		delete(p.loading, pi)
		if err != nil {
			p.err = err
			if pi == len(p.pages) {
				p.more = false
			}
			if p.onError != nil {
				p.onError(err)
			}
			return
		}
		p.tick++
		lp := &listPage{after: after, next: pg.Next, items: pg.Items, count: len(pg.Items), used: p.tick, held: true}
		if pi < len(p.pages) {
			// A page read again: its rows may have changed meanwhile; keep its
			// length so the rows after it stay where they are.
			if len(lp.items) > p.pages[pi].count {
				lp.items = lp.items[:p.pages[pi].count]
			}
			lp.count = p.pages[pi].count
			p.pages[pi] = lp
		} else {
			p.pages = append(p.pages, lp)
			p.more = pg.Next != ""
		}
		p.evict()
		if pi == 0 && p.onFirst != nil {
			p.onFirst(len(pg.Items))
		}
		if p.onChange != nil {
			p.onChange()
		}
	})
}

// evict drops the rows of the least recently used pages beyond maxPages.
func (p *pager) evict() {
	for {
		held := 0
		oldest := -1
		for i, pg := range p.pages {
			if !pg.held {
				continue
			}
			held++
			if oldest < 0 || pg.used < p.pages[oldest].used {
				oldest = i
			}
		}
		if held <= p.maxPages || oldest < 0 {
			return
		}
		p.pages[oldest].items = nil
		p.pages[oldest].held = false
	}
}

// heldRows counts the rows in memory (tests check the bound).
func (p *pager) heldRows() int {
	n := 0
	for _, pg := range p.pages {
		n += len(pg.items)
	}
	return n
}
