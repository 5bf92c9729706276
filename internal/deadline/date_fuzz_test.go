package deadline

import "testing"

// A date the API or the calendar file gives as text is either refused or
// read as the day it names: written back, it is the same text.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-31", "2026-02-29", "2024-02-29", "0001-01-01", "9999-12-31", "2026-13-01", "2026-1-1", "26-01-01", "2026-01-01T00:00:00Z", " 2026-01-01", "", "+2026-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		var u Date
		if err := u.UnmarshalText([]byte(s)); err != nil || u != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v", s, u, err)
		}
	})
}
