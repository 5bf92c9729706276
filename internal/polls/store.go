package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Question kinds.
const (
	Single   = "single"
	Multiple = "multiple"
	Scale    = "scale"
	Matrix   = "matrix"
	Text     = "text"
)

// Kinds are the question kinds in the order the editor offers them.
var Kinds = []struct{ Value, Label string }{
	{Single, "Один вариант"},
	{Multiple, "Несколько вариантов"},
	{Scale, "Шкала от 1 до 5"},
	{Matrix, "Матрица (строки × варианты)"},
	{Text, "Свободный ответ"},
}

// KindLabel names a kind in Russian.
func KindLabel(k string) string {
	for _, x := range Kinds {
		if x.Value == k {
			return x.Label
		}
	}
	return k
}

// Audiences.
const (
	Anyone    = "anyone"
	Residents = "residents"
	Group     = "group"
)

// AudienceLabel names an audience in Russian.
func AudienceLabel(a, group string) string {
	switch a {
	case Residents:
		return "зарегистрированные жители"
	case Group:
		return "участники референтной группы «" + group + "»"
	}
	return "все посетители, без регистрации"
}

// Moderation states of a free-text answer.
const (
	Pending  = "pending"
	Approved = "approved"
	Hidden   = "hidden"
)

// MaxText is the longest free-text answer, in characters.
const MaxText = 2000

// Survey is a survey with its settings.
type Survey struct {
	ID             int64
	Title          string
	Description    string
	Audience       string
	AudienceGroup  string
	LiveResults    bool
	OpensAt        time.Time
	ClosesAt       time.Time
	PublishedAt    time.Time
	ResultsAt      time.Time
	Responses      int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Questions      []Question
	MunicipalityID int64
}

// Published reports whether the survey is visible to the public.
func (s Survey) Published() bool { return !s.PublishedAt.IsZero() }

// Open reports whether the survey takes answers at now.
func (s Survey) Open(now time.Time) bool {
	return s.Published() && !now.Before(s.OpensAt) && now.Before(s.ClosesAt)
}

// Closed reports whether the survey's period is over.
func (s Survey) Closed(now time.Time) bool { return !now.Before(s.ClosesAt) }

// ResultsVisible reports whether the public may see the results at now:
// after the closing date, or all along when the survey shows them live.
func (s Survey) ResultsVisible(now time.Time) bool {
	return s.Published() && (s.Closed(now) || (s.LiveResults && !now.Before(s.OpensAt)))
}

// State is the survey's state in Russian.
func (s Survey) State(now time.Time) string {
	switch {
	case !s.Published():
		return "черновик"
	case now.Before(s.OpensAt):
		return "ещё не начат"
	case s.Closed(now):
		return "завершён"
	}
	return "идёт"
}

// Question is one question of a survey.
type Question struct {
	ID       int64
	SurveyID int64
	Position int
	Kind     string
	Text     string
	Required bool
	// Options are the choices (single, multiple, matrix columns); a scale
	// has the fixed options 1–5.
	Options []string
	// Rows are the matrix's rows.
	Rows []string
}

// Choices are the options a respondent picks from, by index; a scale's
// are "1"…"5", with the score as the stored value.
func (q Question) Choices() []string {
	if q.Kind == Scale {
		return []string{"1", "2", "3", "4", "5"}
	}
	return q.Options
}

// Field is the form field name of the question (of a matrix row: row ≥ 0).
func (q Question) Field() string { return fmt.Sprintf("q%d", q.ID) }

// RowField is the form field name of a matrix row.
func (q Question) RowField(row int) string { return fmt.Sprintf("q%d_%d", q.ID, row) }

// lines splits a textarea into trimmed non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

const surveyColumns = `s.id, s.municipality_id, s.title, s.description, s.audience, s.audience_group, s.live_results, s.opens_at, s.closes_at, s.published_at, s.results_published_at, s.created_at, s.updated_at, (SELECT COUNT(*) FROM poll_responses r WHERE r.survey_id = s.id)`

var surveyColumnsNoCount = surveyColumns[:strings.LastIndex(surveyColumns, ", (SELECT")] + ", 0"

type scanner interface{ Scan(...any) error }

func scanSurvey(row scanner) (Survey, error) {
	var s Survey
	var pub, res sql.NullTime
	err := row.Scan(&s.ID, &s.MunicipalityID, &s.Title, &s.Description, &s.Audience, &s.AudienceGroup, &s.LiveResults, &s.OpensAt, &s.ClosesAt, &pub, &res, &s.CreatedAt, &s.UpdatedAt, &s.Responses)
	if errors.Is(err, sql.ErrNoRows) {
		return s, db.ErrNotFound
	}
	s.PublishedAt, s.ResultsAt = pub.Time.UTC(), res.Time.UTC()
	if !pub.Valid {
		s.PublishedAt = time.Time{}
	}
	if !res.Valid {
		s.ResultsAt = time.Time{}
	}
	s.OpensAt, s.ClosesAt = s.OpensAt.UTC(), s.ClosesAt.UTC()
	return s, err
}

// Get loads a survey with its questions.
func (st *Store) Get(ctx context.Context, q db.Querier, munID, id int64) (Survey, error) {
	return st.get(ctx, q, munID, id, surveyColumns)
}

// GetForAnswer loads a survey with its questions but without counting its
// responses (Responses is 0): the submission path must not slow down as
// answers accumulate.
func (st *Store) GetForAnswer(ctx context.Context, q db.Querier, munID, id int64) (Survey, error) {
	now := time.Now()
	st.cacheMu.Lock()
	c, ok := st.cache[id]
	st.cacheMu.Unlock()
	if ok && c.s.MunicipalityID == munID && now.Sub(c.at) < cacheFor {
		return c.s, nil
	}
	s, err := st.get(ctx, q, munID, id, surveyColumnsNoCount)
	if err != nil {
		return s, err
	}
	st.cacheMu.Lock()
	if st.cache == nil || len(st.cache) > 1000 {
		st.cache = map[int64]cached{}
	}
	st.cache[id] = cached{s: s, at: now}
	st.cacheMu.Unlock()
	return s, nil
}

func (st *Store) get(ctx context.Context, q db.Querier, munID, id int64, columns string) (Survey, error) {
	s, err := scanSurvey(q.QueryRow(ctx, `SELECT `+columns+` FROM poll_surveys s WHERE s.municipality_id = ? AND s.id = ?`, munID, id))
	if err != nil {
		return s, err
	}
	s.Questions, err = st.Questions(ctx, q, id)
	return s, err
}

// Questions lists a survey's questions in order.
func (st *Store) Questions(ctx context.Context, q db.Querier, surveyID int64) ([]Question, error) {
	rows, err := q.Query(ctx, `SELECT id, survey_id, position, kind, text, required, options, matrix_rows FROM poll_questions WHERE survey_id = ? ORDER BY position, id`, surveyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Question
	for rows.Next() {
		var x Question
		var opts, mrows string
		if err := rows.Scan(&x.ID, &x.SurveyID, &x.Position, &x.Kind, &x.Text, &x.Required, &opts, &mrows); err != nil {
			return nil, err
		}
		x.Options, x.Rows = lines(opts), lines(mrows)
		out = append(out, x)
	}
	return out, rows.Err()
}

// ListFilter selects surveys.
type ListFilter struct {
	// Public lists only published surveys.
	Public bool
}

// List returns a page of surveys, newest opening first, and the total.
func (st *Store) List(ctx context.Context, munID int64, f ListFilter, limit, offset int) ([]Survey, int, error) {
	w := `s.municipality_id = ?`
	if f.Public {
		w += ` AND s.published_at IS NOT NULL`
	}
	var total int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM poll_surveys s WHERE `+w, munID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := st.DB.Query(ctx, `SELECT `+surveyColumns+` FROM poll_surveys s WHERE `+w+` ORDER BY s.opens_at DESC, s.id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// Create stores a new draft survey.
func (st *Store) Create(ctx context.Context, tx *db.Tx, munID int64, s Survey) (int64, error) {
	now := st.DB.Now()
	return db.InsertID(ctx, tx, `INSERT INTO poll_surveys (municipality_id, title, description, audience, audience_group, live_results, opens_at, closes_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, s.Title, s.Description, s.Audience, s.AudienceGroup, s.LiveResults, s.OpensAt.UTC(), s.ClosesAt.UTC(), now, now)
}

// Update saves a survey's settings.
func (st *Store) Update(ctx context.Context, tx *db.Tx, munID int64, s Survey) error {
	tx.AfterCommit(func() { st.Forget(s.ID) })
	_, err := tx.Exec(ctx, `UPDATE poll_surveys SET title = ?, description = ?, audience = ?, audience_group = ?, live_results = ?, opens_at = ?, closes_at = ?, updated_at = ? WHERE municipality_id = ? AND id = ?`,
		s.Title, s.Description, s.Audience, s.AudienceGroup, s.LiveResults, s.OpensAt.UTC(), s.ClosesAt.UTC(), st.DB.Now(), munID, s.ID)
	return err
}

// AddQuestion appends a question to a survey.
func (st *Store) AddQuestion(ctx context.Context, tx *db.Tx, munID int64, q Question) (int64, error) {
	tx.AfterCommit(func() { st.Forget(q.SurveyID) })
	var pos int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM poll_questions WHERE survey_id = ?`, q.SurveyID).Scan(&pos); err != nil {
		return 0, err
	}
	return db.InsertID(ctx, tx, `INSERT INTO poll_questions (municipality_id, survey_id, position, kind, text, required, options, matrix_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, q.SurveyID, pos, q.Kind, q.Text, q.Required, strings.Join(q.Options, "\n"), strings.Join(q.Rows, "\n"))
}

// UpdateQuestion saves a question.
func (st *Store) UpdateQuestion(ctx context.Context, tx *db.Tx, munID int64, q Question) error {
	tx.AfterCommit(func() { st.Forget(q.SurveyID) })
	_, err := tx.Exec(ctx, `UPDATE poll_questions SET position = ?, kind = ?, text = ?, required = ?, options = ?, matrix_rows = ? WHERE municipality_id = ? AND survey_id = ? AND id = ?`,
		q.Position, q.Kind, q.Text, q.Required, strings.Join(q.Options, "\n"), strings.Join(q.Rows, "\n"), munID, q.SurveyID, q.ID)
	return err
}

// DeleteQuestion removes a question.
func (st *Store) DeleteQuestion(ctx context.Context, tx *db.Tx, munID, surveyID, id int64) error {
	tx.AfterCommit(func() { st.Forget(surveyID) })
	_, err := tx.Exec(ctx, `DELETE FROM poll_questions WHERE municipality_id = ? AND survey_id = ? AND id = ?`, munID, surveyID, id)
	return err
}

// ErrAlreadyAnswered is returned for a second response from one respondent.
var ErrAlreadyAnswered = errors.New("already answered")

// Store reads and writes surveys. Submissions go through one writer that
// commits whatever has queued while the previous transaction ran in one
// transaction (group commit): each caller returns only after the commit
// that holds its response, so an acknowledged answer is durable, and under
// load many answers share one commit.
type Store struct {
	DB *db.DB

	mu      sync.Mutex
	queue   []*submission
	running bool

	// cache holds surveys loaded for answering for a few seconds, so that
	// the submission path reads nothing but the survey's key; every change
	// through this Store forgets the survey at once.
	cacheMu sync.Mutex
	cache   map[int64]cached
}

type cached struct {
	s  Survey
	at time.Time
}

// cacheFor is how long a survey loaded for answering is reused. Changes
// made through this process are seen at once; another process's after at
// most this long.
const cacheFor = 5 * time.Second

// Forget drops a survey from the answering cache.
func (st *Store) Forget(id int64) {
	st.cacheMu.Lock()
	delete(st.cache, id)
	st.cacheMu.Unlock()
}

type submission struct {
	munID, surveyID int64
	respondent      string
	answers         []Answer
	id              int64
	err             error
	done            chan struct{}
}

// maxBatch bounds the answers committed together.
const maxBatch = 256

// Submit stores one response and its answers. A second response of the
// same respondent fails with ErrAlreadyAnswered.
func (st *Store) Submit(ctx context.Context, munID, surveyID int64, respondent string, answers []Answer) (int64, error) {
	s := &submission{munID: munID, surveyID: surveyID, respondent: respondent, answers: answers, done: make(chan struct{})}
	st.mu.Lock()
	st.queue = append(st.queue, s)
	if !st.running {
		st.running = true
		go st.writer()
	}
	st.mu.Unlock()
	select {
	case <-s.done:
		return s.id, s.err
	case <-ctx.Done():
		// The answer may still be committed; it is not acknowledged.
		return 0, ctx.Err()
	}
}

// writer commits the queued submissions batch by batch and stops when the
// queue is empty.
func (st *Store) writer() {
	for {
		st.mu.Lock()
		batch := st.queue
		if len(batch) > maxBatch {
			batch, st.queue = batch[:maxBatch], batch[maxBatch:]
		} else {
			st.queue = nil
		}
		if len(batch) == 0 {
			st.running = false
			st.mu.Unlock()
			return
		}
		st.mu.Unlock()
		st.commit(batch)
	}
}

// commit stores a batch in one transaction; if it fails, each submission
// is tried alone so that one bad answer does not fail the others.
func (st *Store) commit(batch []*submission) {
	ctx := context.Background()
	err := st.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, s := range batch {
			s.id, s.err = 0, nil
			if err := insertResponse(ctx, tx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for _, s := range batch {
			st.commit([]*submission{s})
		}
		return
	}
	for _, s := range batch {
		if err != nil {
			s.id, s.err = 0, err
		}
		close(s.done)
	}
}

func insertResponse(ctx context.Context, tx *db.Tx, s *submission) error {
	err := tx.QueryRow(ctx, `INSERT INTO poll_responses (municipality_id, survey_id, respondent, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, respondent) DO NOTHING RETURNING id`,
		s.munID, s.surveyID, s.respondent, tx.DB().Now()).Scan(&s.id)
	if errors.Is(err, sql.ErrNoRows) {
		s.err = ErrAlreadyAnswered
		return nil
	}
	if err != nil {
		return err
	}
	if len(s.answers) == 0 {
		return nil
	}
	var sb strings.Builder
	args := make([]any, 0, len(s.answers)*8)
	sb.WriteString(`INSERT INTO poll_answers (municipality_id, survey_id, response_id, question_id, row_index, choice, text, status) VALUES `)
	for i, a := range s.answers {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
		status := ""
		if a.Text != "" {
			status = Pending
		}
		args = append(args, s.munID, s.surveyID, s.id, a.QuestionID, a.Row, a.Choice, a.Text, status)
	}
	_, err = tx.Exec(ctx, sb.String(), args...)
	return err
}

// HasResponded reports whether the respondent has answered the survey.
func (st *Store) HasResponded(ctx context.Context, surveyID int64, respondent string) (bool, error) {
	var n int
	err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM poll_responses WHERE survey_id = ? AND respondent = ?`, surveyID, respondent).Scan(&n)
	return n > 0, err
}

// Cell is the count of one choice in one question (and matrix row).
type Cell struct {
	QuestionID int64
	Row        int
	Choice     int
	Count      int
}

// Counts reads the survey's choice counts and how many responses answered
// each question.
func (st *Store) Counts(ctx context.Context, surveyID int64) ([]Cell, map[int64]int, error) {
	rows, err := st.DB.Query(ctx, `SELECT question_id, row_index, choice, COUNT(*) FROM poll_answers WHERE survey_id = ? AND choice >= 0 GROUP BY question_id, row_index, choice`, surveyID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cells []Cell
	for rows.Next() {
		var c Cell
		if err := rows.Scan(&c.QuestionID, &c.Row, &c.Choice, &c.Count); err != nil {
			return nil, nil, err
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows2, err := st.DB.Query(ctx, `SELECT question_id, COUNT(DISTINCT response_id) FROM poll_answers WHERE survey_id = ? GROUP BY question_id`, surveyID)
	if err != nil {
		return nil, nil, err
	}
	defer rows2.Close()
	answered := map[int64]int{}
	for rows2.Next() {
		var q int64
		var n int
		if err := rows2.Scan(&q, &n); err != nil {
			return nil, nil, err
		}
		answered[q] = n
	}
	return cells, answered, rows2.Err()
}

// TextAnswer is one free-text answer.
type TextAnswer struct {
	ID         int64
	SurveyID   int64
	Survey     string
	QuestionID int64
	Question   string
	Text       string
	Status     string
	CreatedAt  time.Time
}

// Texts lists a survey's free-text answers in a state ("" for any), oldest
// first.
func (st *Store) Texts(ctx context.Context, surveyID int64, status string) ([]TextAnswer, error) {
	q := `SELECT a.id, a.survey_id, '', a.question_id, '', a.text, a.status, r.created_at FROM poll_answers a JOIN poll_responses r ON r.id = a.response_id WHERE a.survey_id = ? AND a.text <> ''`
	args := []any{surveyID}
	if status != "" {
		q += ` AND a.status = ?`
		args = append(args, status)
	}
	return st.texts(ctx, q+` ORDER BY a.id`, args...)
}

func (st *Store) texts(ctx context.Context, q string, args ...any) ([]TextAnswer, error) {
	rows, err := st.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TextAnswer
	for rows.Next() {
		var t TextAnswer
		if err := rows.Scan(&t.ID, &t.SurveyID, &t.Survey, &t.QuestionID, &t.Question, &t.Text, &t.Status, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// PendingTexts lists a page of the municipality's free-text answers waiting
// for moderation, oldest first, and their number.
func (st *Store) PendingTexts(ctx context.Context, munID int64, limit, offset int) ([]TextAnswer, int, error) {
	var total int
	if err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM poll_answers WHERE municipality_id = ? AND status = ?`, munID, Pending).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := st.texts(ctx, `SELECT a.id, a.survey_id, s.title, a.question_id, q.text, a.text, a.status, r.created_at FROM poll_answers a
		JOIN poll_responses r ON r.id = a.response_id JOIN poll_surveys s ON s.id = a.survey_id JOIN poll_questions q ON q.id = a.question_id
		WHERE a.municipality_id = ? AND a.status = ? ORDER BY a.id LIMIT ? OFFSET ?`, munID, Pending, limit, offset)
	return out, total, err
}

// Moderate sets a free-text answer's state and returns it as it was.
func (st *Store) Moderate(ctx context.Context, tx *db.Tx, munID, id int64, status string) (TextAnswer, error) {
	var t TextAnswer
	err := tx.QueryRow(ctx, `SELECT id, survey_id, question_id, text, status FROM poll_answers WHERE municipality_id = ? AND id = ? AND text <> ''`, munID, id).Scan(&t.ID, &t.SurveyID, &t.QuestionID, &t.Text, &t.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return t, db.ErrNotFound
	}
	if err != nil {
		return t, err
	}
	_, err = tx.Exec(ctx, `UPDATE poll_answers SET status = ? WHERE municipality_id = ? AND id = ?`, status, munID, id)
	return t, err
}
