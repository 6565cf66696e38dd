package ledger

import (
	"testing"
	"time"
)

func TestRowsFromReturnsOnlyNewRowsInRecordOrder(t *testing.T) {
	start := time.Now()
	l := New(start)
	l.Record(Row{Seq: 1, Scheduled: start.Add(2 * time.Millisecond)})
	l.Record(Row{Seq: 0, Scheduled: start.Add(time.Millisecond)})

	rows, next := l.RowsFrom(0)
	if len(rows) != 2 || rows[0].Seq != 1 || rows[1].Seq != 0 || next != 2 {
		t.Fatalf("got %+v next %d, want seqs [1 0] in record order, next 2", rows, next)
	}
	if rows, next = l.RowsFrom(next); len(rows) != 0 || next != 2 {
		t.Fatalf("got %d rows next %d, want none and 2", len(rows), next)
	}
	l.Record(Row{Seq: 2})
	if rows, next = l.RowsFrom(next); len(rows) != 1 || rows[0].Seq != 2 || next != 3 {
		t.Fatalf("got %+v next %d, want seq [2], next 3", rows, next)
	}
}
