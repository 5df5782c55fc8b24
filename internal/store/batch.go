package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Reads sent together. A page that reads a dozen small things (an
// enterprise's card, timeline, stops, acceptances, safety record) pays on
// PostgreSQL for each statement's round trip far more than for its work:
// the enterprise page's nineteen statements ran 4–180 µs each in the
// server and cost 1.1–1.4 ms of its CPU per page in messages, with as
// much again in the web server's socket writes. readAll sends such reads
// as one pipelined batch (pgx.Batch on one connection: one write, the
// results read in order); SQLite, in process, runs them one by one.
//
// A read scans its rows through pgx's own Scan on PostgreSQL and through
// database/sql's on SQLite: the store scans only into the types both
// give alike (strings from TEXT, integers, booleans, time.Time from
// TIMESTAMPTZ), which TestHistoryReadsAlike checks for the reads batched.

// read is one statement of a batch and what to do with each of its rows.
type read struct {
	query string
	args  []any
	row   func(rowScanner) error
}

// rowScanner is a row of *sql.Rows or pgx.Rows.
type rowScanner = interface{ Scan(...any) error }

// readInto is a read appending each row, as scan makes it, to *out.
func readInto[T any](out *[]T, scan func(rowScanner) (T, error), query string, args ...any) read {
	return read{query: query, args: args, row: func(r rowScanner) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	}}
}

// runRead runs one read on q (the pool or a transaction).
func runRead(ctx context.Context, q queryer, r read) error {
	rows, err := q.QueryContext(ctx, r.query, r.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := eachRow(rows, r); err != nil {
		return err
	}
	return rows.Err()
}

// eachRow hands each row of rows (*sql.Rows or pgx.Rows) to r; the
// caller checks rows.Err.
func eachRow(rows interface {
	rowScanner
	Next() bool
}, r read) error {
	for rows.Next() {
		if err := r.row(rows); err != nil {
			return err
		}
	}
	return nil
}

// readAll runs reads outside a transaction: on PostgreSQL in one batch,
// on SQLite (or when the pool is told to, for tests) one by one. The
// first failure is returned; what the reads before it appended stays.
func (s *DB) readAll(ctx context.Context, reads ...read) error {
	if !s.db.pipeline || s.oneByOne || len(reads) < 2 {
		for i, r := range reads {
			if err := runRead(ctx, s.db, r); err != nil {
				return fmt.Errorf("read %d of %d: %w", i+1, len(reads), err)
			}
		}
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("readAll: not a pgx connection")
		}
		b := &pgx.Batch{}
		for _, r := range reads {
			b.Queue(r.query, r.args...)
		}
		br := sc.Conn().SendBatch(ctx, b)
		for i, r := range reads {
			if err := batchRows(br, r); err != nil {
				_ = br.Close()
				return fmt.Errorf("read %d of %d: %w", i+1, len(reads), err)
			}
		}
		return br.Close()
	})
}

// batchRows reads the next result of br into r.
func batchRows(br pgx.BatchResults, r read) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := eachRow(rows, r); err != nil {
		return err
	}
	return rows.Err()
}

// countRead is a read of one number into *n.
func countRead(query string, args []any, n *int) read {
	return read{query: query, args: slices.Clone(args), row: func(r rowScanner) error { return r.Scan(n) }}
}

// paged is a list's count and a page of it as reads. A list's own page
// reads them one after the other (run: no page read when the count leaves
// nothing from the offset on); a worklist sends the counts and first pages
// of several lists in one batch (reads, then result).
type paged[T any] struct {
	counts []read
	tally  func() int // the total from what counts read; nil when they set total
	page   read
	total  int
	items  []T
	offset int
}

// run reads the count, then the page when it has rows.
func (p *paged[T]) run(ctx context.Context, s *DB) ([]T, int, error) {
	for _, r := range p.counts {
		if err := runRead(ctx, s.db, r); err != nil {
			return nil, 0, err
		}
	}
	if !p.hasPage() {
		return nil, p.total, nil
	}
	if err := runRead(ctx, s.db, p.page); err != nil {
		return nil, 0, err
	}
	return p.items, p.total, nil
}

// hasPage settles the total from what the counts read and reports whether
// it leaves rows from the offset on.
func (p *paged[T]) hasPage() bool {
	if p.tally != nil {
		p.total = p.tally()
	}
	return p.total > 0 && p.offset < p.total
}

// reads are the counts and the page, for one batch.
func (p *paged[T]) reads() []read {
	if p == nil {
		return nil
	}
	return append(slices.Clone(p.counts), p.page)
}

// result is what run returns, once reads were read.
func (p *paged[T]) result() ([]T, int) {
	if p == nil {
		return nil, 0
	}
	if !p.hasPage() {
		return nil, p.total
	}
	return p.items, p.total
}
