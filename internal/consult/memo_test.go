package consult

import "testing"

func TestMemoBuildsOncePerKey(t *testing.T) {
	m := newMemo[int64, []Block](2)
	builds := 0
	draft := func() []Block {
		builds++
		return ParseDraft("1. Первый пункт.\n\n2. Второй пункт.")
	}
	for range 3 {
		if got := m.get(7, draft); len(got) == 0 {
			t.Fatal("no blocks")
		}
	}
	if builds != 1 {
		t.Errorf("the same version parsed %d times", builds)
	}
	m.get(8, draft)
	m.get(9, draft) // full: starts afresh
	m.get(7, draft)
	if builds != 4 || len(m.m) > 2 {
		t.Errorf("builds %d, entries %d: the memo grows past its bound", builds, len(m.m))
	}
}
