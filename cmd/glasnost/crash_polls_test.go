package main

// Durability of survey answers: answers posted concurrently through the
// API, the server killed with SIGKILL under load, restarted, and every
// answer it acknowledged with 201 found in the database.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// glasnostProc is a glasnost process the test may kill.
type glasnostProc struct {
	cmd  *exec.Cmd
	base string
	log  string
}

func startGlasnost(t *testing.T, bin string, env []string, addr, logPath string, args ...string) *glasnostProc {
	t.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &glasnostProc{cmd: cmd, base: "http://" + addr, log: logPath}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		logf.Close()
	})
	deadline := time.Now().Add(120 * time.Second)
	for {
		resp, err := http.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("glasnost did not become healthy: %v\n%s", err, tail(string(b), 4000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestPollAnswersSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			if dialect == db.Postgres && dbtest.PostgresURL(t) == "" {
				t.Skip("no PostgreSQL")
			}
			crashPolls(t, dialect)
		})
	}
}

func crashPolls(t *testing.T, dialect db.Dialect) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	dbURL := dbtest.URL(t, dialect)
	mail := webtest.StartMailServer(t).Addr
	addr := freePort(t)
	env := append(os.Environ(),
		"GLASNOST_DATA_DIR="+dataDir, "GLASNOST_DATABASE_URL="+dbURL, "GLASNOST_BASE_URL=http://"+addr,
		fmt.Sprintf("GLASNOST_SMTP_URL=smtp://%s?from=portal@glasnost.test", mail),
		// Every client of this test comes from 127.0.0.1.
		"GLASNOST_POLLS_IP_LIMIT=off")
	if dialect == db.Postgres {
		mig := exec.Command(bin, "migrate")
		mig.Env = env
		if out, err := mig.CombinedOutput(); err != nil {
			t.Fatalf("migrate: %v\n%s", err, out)
		}
	}
	logPath := filepath.Join(dataDir, "server.log")
	p := startGlasnost(t, bin, env, addr, logPath, "--demo")

	// The demo's open survey and its questions.
	var list struct {
		Items []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"items"`
	}
	getJSON(t, p.base+"/api/v1/polls", &list)
	var surveyID int64
	for _, s := range list.Items {
		if s.State == "идёт" {
			surveyID = s.ID
		}
	}
	if surveyID == 0 {
		t.Fatalf("no open survey in the demo: %+v", list)
	}
	var def struct {
		Questions []struct {
			ID      int64    `json:"id"`
			Kind    string   `json:"kind"`
			Options []string `json:"options"`
			Rows    []string `json:"rows"`
		} `json:"questions"`
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/polls/%d", p.base, surveyID), &def)
	answers := map[string]any{}
	want := 0 // stored rows per response
	for _, q := range def.Questions {
		key := fmt.Sprint(q.ID)
		switch q.Kind {
		case "single":
			answers[key], want = 0, want+1
		case "multiple":
			answers[key], want = []int{0, 1}, want+2
		case "scale":
			answers[key], want = 4, want+1
		case "matrix":
			answers[key], want = make([]int, len(q.Rows)), want+len(q.Rows)
		case "text":
			answers[key], want = "Ответ под нагрузкой", want+1
		}
	}
	body, _ := json.Marshal(map[string]any{"answers": answers})

	// Load: 8 clients post answers until the process dies.
	var mu sync.Mutex
	var acked []int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second}
	began := time.Now()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Post(fmt.Sprintf("%s/api/v1/polls/%d/answers", p.base, surveyID), "application/json", bytes.NewReader(body))
				if err != nil {
					continue // the server is gone; keep trying until told to stop
				}
				var out struct {
					ResponseID int64 `json:"response_id"`
				}
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && err == nil && out.ResponseID > 0 {
					mu.Lock()
					acked = append(acked, out.ResponseID)
					mu.Unlock()
				}
			}
		}()
	}
	// Kill once a good number of answers are in.
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 1500 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	loadTime := time.Since(began)
	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		b, _ := os.ReadFile(logPath)
		t.Fatalf("only %d answers acknowledged before the kill\n%s", len(acked), tail(string(b), 3000))
	}

	// Restart on the same database; it must come up and hold every
	// acknowledged answer with all its rows.
	p2 := startGlasnost(t, bin, env, addr, logPath)
	var after struct {
		Survey struct {
			Responses int `json:"responses"`
		} `json:"survey"`
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/polls/%d", p2.base, surveyID), &after)
	if after.Survey.Responses < len(acked) {
		t.Fatalf("after restart the survey counts %d responses, %d were acknowledged", after.Survey.Responses, len(acked))
	}
	d, err := db.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stored := map[int64]int{}
	rows, err := d.Query(context.Background(), `SELECT r.id, COUNT(a.id) FROM poll_responses r LEFT JOIN poll_answers a ON a.response_id = r.id WHERE r.survey_id = ? GROUP BY r.id`, surveyID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		stored[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	lost, partial := 0, 0
	for _, id := range acked {
		n, ok := stored[id]
		switch {
		case !ok:
			lost++
		case n != want:
			partial++
		}
	}
	t.Logf("%s: %d answers acknowledged in %s before SIGKILL (%.0f/s over HTTP), %d stored after restart", dialect, len(acked), loadTime.Round(time.Millisecond), float64(len(acked))/loadTime.Seconds(), len(stored))
	if lost > 0 || partial > 0 {
		t.Fatalf("%d acknowledged answers lost and %d stored partly (want %d rows each)", lost, partial, want)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
