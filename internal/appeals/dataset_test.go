package appeals

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// The open dataset of appeals statistics carries no personal data: no
// appellant's name, e-mail, phone, address, text or answer appears in any
// cell, and every row is a count.
func TestDatasetHasNoPersonalData(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		cal, err := a.Calendar(ctx, env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(ctx, d, cal, env.Municipality.ID, 300, a.Today(env.Municipality), 3, []int64{env.Departments["housing"]}, 5); err != nil {
			t.Fatal(err)
		}
		rows, err := a.datasetRows(ctx, env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatal("no rows: the test would prove nothing")
		}
		cells := map[string]bool{}
		total := 0
		for _, r := range rows {
			if len(r) != len(appealsFields) {
				t.Fatalf("row %q does not match the structure", r)
			}
			n, err := strconv.Atoi(r[5])
			if err != nil || n <= 0 {
				t.Errorf("count %q", r[5])
			}
			total += n
			for _, c := range r {
				cells[strings.ToLower(c)] = true
			}
		}
		var registered int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on < ?`, env.Municipality.ID, quarterStart(d)).Scan(&registered); err != nil {
			t.Fatal(err)
		}
		if total != registered {
			t.Errorf("the counts sum to %d, the finished quarters hold %d appeals", total, registered)
		}
		q, err := d.Query(ctx, `SELECT last_name, first_name, middle_name, email, phone, postal_address, body, answer, cosigners FROM appeals WHERE municipality_id = ?`, env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		checked := 0
		for q.Next() {
			var vals [9]string
			if err := q.Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5], &vals[6], &vals[7], &vals[8]); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				v = strings.ToLower(strings.TrimSpace(v))
				if v == "" {
					continue
				}
				checked++
				if cells[v] {
					t.Errorf("personal value %q reached the dataset", v)
				}
				for c := range cells {
					if len(v) > 6 && strings.Contains(c, v) {
						t.Errorf("personal value %q inside cell %q", v, c)
					}
				}
			}
		}
		if checked == 0 {
			t.Fatal("no personal values to check")
		}
	})
}

func quarterStart(d *db.DB) string {
	now := d.Now()
	m := (int(now.Month())-1)/3*3 + 1
	return strconv.Itoa(now.Year()) + "-" + twoDigits(m) + "-01"
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
