package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestKeptFiguresBounded: what a write made stale is dropped once
// figureSweep results are kept, and no more than figureMax are ever kept;
// an error is not kept.
func TestKeptFiguresBounded(t *testing.T) {
	s := &DB{figures: newFigureCache()}
	reads := 0
	read := func(key string) int {
		v, err := keptRead(context.Background(), s, key, func() (int, error) { reads++; return reads, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i := range figureSweep - 1 {
		read(fmt.Sprint("a", i))
	}
	if first := read("a0"); first != 1 || reads != figureSweep-1 {
		t.Fatalf("a kept result read again: %d, %d reads", first, reads)
	}
	s.figures.wrote()
	if again := read("a0"); again != figureSweep {
		t.Fatalf("after a write the kept result was returned: %d", again)
	}
	read("b") // figureSweep results kept: the next read drops the stale
	read("d")
	if n := len(s.figures.m); n != 3 {
		t.Errorf("after the sweep %d results kept, want the 3 read since the write", n)
	}
	for i := range figureMax + 10 {
		read(fmt.Sprint("c", i))
	}
	if n := len(s.figures.m); n > figureMax {
		t.Errorf("%d results kept, at most %d", n, figureMax)
	}
	if _, err := keptRead(context.Background(), s, "bad", func() (int, error) { return 0, fmt.Errorf("no") }); err == nil {
		t.Fatal("the error was lost")
	}
	if _, ok := s.figures.m["bad"]; ok {
		t.Error("an error was kept")
	}
}

// TestKeptFiguresComputedOnceAtOnce: requests missing the same result
// while it is computed wait for that computation instead of making their
// own; the one after a write does not take it.
func TestKeptFiguresComputedOnceAtOnce(t *testing.T) {
	s := &DB{figures: newFigureCache()}
	var reads atomic.Int32
	entered, release := make(chan struct{}), make(chan struct{})
	slow := func() (int32, error) {
		n := reads.Add(1)
		if n == 1 {
			close(entered)
			<-release
		}
		return n, nil
	}
	results := make(chan int32, 6)
	go func() { v, _ := keptRead(context.Background(), s, "k", slow); results <- v }()
	<-entered
	for range 5 {
		go func() { v, _ := keptRead(context.Background(), s, "k", slow); results <- v }()
	}
	time.Sleep(100 * time.Millisecond) // the five wait in the flight
	close(release)
	for range 6 {
		if v := <-results; v != 1 {
			t.Errorf("a request computed its own result (%d)", v)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("%d computations for six requests at once", n)
	}
	s.figures.wrote()
	if v, _ := keptRead(context.Background(), s, "k", slow); v != 2 {
		t.Errorf("after a write: %d, want a new computation", v)
	}
}
