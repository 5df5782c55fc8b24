// Package benchtest holds what the benchmarks of several packages share:
// latency percentiles, peak heap, and the plain-excelize baselines that the
// forms' figures are given against. Only benchmarks import it.
package benchtest

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// ReportPercentiles reports the median and the 95th percentile of lat in
// ms, as p50-ms and p95-ms.
func ReportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*95/100]), "p95-ms")
}

// PeakHeap runs run after a collection and returns the highest heap in use
// seen while it ran (sampled every 2 ms), above what was live before, and
// how long run took.
func PeakHeap(run func()) (uint64, time.Duration) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	t := time.Now()
	run()
	d := time.Since(t)
	close(done)
	wg.Wait()
	if peak < base {
		return 0, d
	}
	return peak - base, d
}

// PlainWrite is the baseline of a written form: n rows of plain cells
// (cells fills the row i into vals), no styles, merges or page setup,
// through excelize's stream writer, to io.Discard.
func PlainWrite(n int, cells func(i int, vals []any) []any) (err error) {
	f := excelize.NewFile()
	defer func() {
		// Close removes the stream writer's temporary files.
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	var vals []any
	for i := range n {
		vals = cells(i, vals[:0])
		if err := sw.SetRow("A"+strconv.Itoa(i+1), vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(io.Discard)
}

// PlainRead is the baseline of a read form: excelize opening the file and
// handing over every row's cells of its first sheet, with nothing done to
// them. It fails when it finds fewer than want rows.
func PlainRead(file []byte, want int) (err error) {
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		return err
	}
	defer func() {
		// Close removes the temporary files of a large sheet.
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			return err
		}
		n++
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if n < want {
		return fmt.Errorf("%d rows, want at least %d", n, want)
	}
	return nil
}
