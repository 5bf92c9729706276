package roadmap

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNoTable means the file holds no table whose header row names a measure column.
var ErrNoTable = errors.New("roadmap: no table of measures with a header row found")

// ErrNotUTF8 means a text file is in another encoding (Word's «Text» export
// in Windows-1251, for one).
var ErrNotUTF8 = errors.New("roadmap: the text is not UTF-8")

// ErrNotDOCX means a file that looks like a Word document cannot be opened as one.
var ErrNotDOCX = errors.New("roadmap: not a readable DOCX document")

// ImportResult is what an import recognised, for a person to check before saving.
type ImportResult struct {
	Roadmap Roadmap
	// Unparsed are the schedule wordings that were not understood, each once,
	// in the order they appear; their measures have ScheduleUnparsed.
	Unparsed []string
	// Warnings describe rows or cells that were skipped or guessed.
	Warnings []string
}

// cell is one table cell as the source gives it: text, and the number of
// grid columns it spans (a heading row across the table is one wide cell).
type cell struct {
	text string
	span int
}

type row []cell

// sheet is a table of measures before it is understood: the text above the
// table (title, approving act) and the rows, header included.
type sheet struct {
	preamble []string
	rows     []row
}

// ParseTSV reads a plan from tab-separated text. Two layouts are accepted:
// one row per line with tab-separated cells (a spreadsheet export, cells with
// line breaks quoted), and the layout of the seed, which is what Word writes
// when a document with a table is saved as text: every cell on its own line
// starting with a tab, its further paragraphs on lines without one, and rows
// separated by blank lines.
func ParseTSV(r io.Reader) (ImportResult, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return ImportResult{}, fmt.Errorf("roadmap: read TSV: %w", err)
	}
	if !utf8.Valid(data) {
		return ImportResult{}, ErrNotUTF8
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")

	var sh sheet
	if rowPerLine(lines) {
		if sh, err = readRowsTSV(text); err != nil {
			return ImportResult{}, err
		}
	} else {
		sh = readCellLines(lines)
	}
	return interpret(sh)
}

// ParseDOCX reads a plan from a Word document: the first table whose header
// row names a measure column, and the paragraphs above it for the title and
// the approving act.
func ParseDOCX(r io.ReaderAt, size int64) (ImportResult, error) {
	sh, err := readDOCX(r, size)
	if err != nil {
		return ImportResult{}, err
	}
	return interpret(sh)
}

// rowPerLine tells the two TSV layouts apart: only a spreadsheet export has
// lines with more than one non-empty cell.
func rowPerLine(lines []string) bool {
	for _, l := range lines {
		n := 0
		for _, f := range strings.Split(l, "\t") {
			if strings.TrimSpace(f) != "" {
				n++
			}
		}
		if n > 1 {
			return true
		}
	}
	return false
}

func readRowsTSV(text string) (sheet, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var sh sheet
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return sh, nil
		}
		if err != nil {
			return sheet{}, fmt.Errorf("roadmap: read TSV: %w", err)
		}
		var rw row
		for _, f := range rec {
			rw = append(rw, cell{text: f, span: 1})
		}
		sh.rows = append(sh.rows, rw)
	}
}

// readCellLines reads the cell-per-line layout. A blank line ends a row, but
// the seed also has a stray blank line inside a row (measure 10.3), so once
// the width of the table is known a row with fewer cells stays open; a row of
// a single cell is a heading across the table and always ends.
func readCellLines(lines []string) sheet {
	var sh sheet
	var cur row
	width := 0
	inTable := false
	end := func() {
		if len(cur) == 0 {
			return
		}
		if width == 0 && len(cur) >= 3 {
			width = len(cur)
		}
		sh.rows = append(sh.rows, cur)
		cur = nil
	}
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "\t"):
			inTable = true
			for _, f := range strings.Split(line[1:], "\t") {
				cur = append(cur, cell{text: f, span: 1})
			}
		case strings.TrimSpace(line) == "":
			if !inTable {
				sh.preamble = append(sh.preamble, "")
			} else if len(cur) == 1 || width == 0 || len(cur) >= width {
				end()
			}
		case !inTable:
			sh.preamble = append(sh.preamble, line)
		case len(cur) > 0:
			cur[len(cur)-1].text += "\n" + line
		default:
			// Text below the table (a signature, a note) is not part of the plan.
		}
	}
	end()
	return sh
}

// field is a column of the plan.
type field int

const (
	fieldNone field = iota
	fieldNumber
	fieldMechanism
	fieldMeasure
	fieldResult
	fieldSchedule
	fieldResponsible
)

// fieldOf names the column a header cell heads, by its words, so that the
// columns may come in any order and be worded as each administration likes.
func fieldOf(header string) field {
	h := strings.ReplaceAll(strings.ToLower(header), "ё", "е")
	switch {
	case strings.Contains(h, "механизм") || strings.Contains(h, "инструмент"):
		return fieldMechanism
	case strings.Contains(h, "результат") || strings.Contains(h, "показател") || strings.Contains(h, "индикатор"):
		return fieldResult
	case strings.Contains(h, "ответствен") || strings.Contains(h, "исполнител"):
		return fieldResponsible
	case strings.Contains(h, "срок") || strings.Contains(h, "дата"):
		return fieldSchedule
	case strings.Contains(h, "мероприят") || strings.Contains(h, "наименование"):
		return fieldMeasure
	case strings.Contains(h, "№") || strings.Contains(h, "номер") || strings.Contains(h, "п/п"):
		return fieldNumber
	}
	return fieldNone
}

// header maps grid columns to fields when r is a header row: one that names a
// measure column and at least two others.
func header(r row) (map[int]field, bool) {
	cols := map[int]field{}
	seen := map[field]bool{}
	col := 0
	for _, c := range r {
		if f := fieldOf(c.text); f != fieldNone && !seen[f] {
			cols[col] = f
			seen[f] = true
		}
		col += c.span
	}
	return cols, seen[fieldMeasure] && len(seen) >= 3
}

// interpret turns a sheet into a roadmap. It fails only when there is no
// table of measures at all; everything else it can skip or guess it reports
// as a warning, so that a person sees the whole import at once.
func interpret(sh sheet) (ImportResult, error) {
	at := -1
	var cols map[int]field
	for i, r := range sh.rows {
		if c, ok := header(r); ok {
			at, cols = i, c
			break
		}
	}
	if at < 0 {
		return ImportResult{}, ErrNoTable
	}
	preamble := sh.preamble
	for _, r := range sh.rows[:at] {
		for _, c := range r {
			preamble = append(preamble, strings.Split(c.text, "\n")...)
		}
		preamble = append(preamble, "")
	}

	b := builder{cols: cols}
	for _, f := range cols {
		b.hasMechanismColumn = b.hasMechanismColumn || f == fieldMechanism
	}
	for i, r := range sh.rows[at+1:] {
		b.add(r, at+i+2)
	}
	b.flush()

	res := ImportResult{Warnings: b.warnings}
	res.Roadmap.Title, res.Roadmap.ApprovingAct = readPreamble(preamble)
	res.Roadmap.Mechanisms = b.mechs
	res.Roadmap.PeriodFrom, res.Roadmap.PeriodTo = span(b.mechs)
	seen := map[string]bool{}
	for i := range res.Roadmap.Mechanisms {
		ms := res.Roadmap.Mechanisms[i].Measures
		for j := range ms {
			s := &ms[j].Schedule
			switch {
			case s.Kind == ScheduleRecurring && s.From.IsZero():
				// «Постоянно» means for as long as the plan runs.
				s.From, s.To = res.Roadmap.PeriodFrom, res.Roadmap.PeriodTo
			case s.Kind == ScheduleUnparsed && s.Text == "":
				res.Warnings = append(res.Warnings, fmt.Sprintf("мероприятие %s: срок не указан", ms[j].Number))
			case s.Kind == ScheduleUnparsed && !seen[s.Text]:
				seen[s.Text] = true
				res.Unparsed = append(res.Unparsed, s.Text)
			}
		}
	}
	return res, nil
}

// builder collects mechanisms and measures row by row.
type builder struct {
	cols               map[int]field
	hasMechanismColumn bool
	mechs              []Mechanism
	cur                *Mechanism // the mechanism rows are being added to; appended to mechs by flush
	warnings           []string
}

func (b *builder) warn(format string, args ...any) {
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

func (b *builder) flush() {
	if b.cur != nil {
		b.mechs = append(b.mechs, *b.cur)
		b.cur = nil
	}
}

func (b *builder) start(number int, title string, line int) {
	b.flush()
	if number == 0 {
		number = 1
		if n := len(b.mechs); n > 0 {
			number = b.mechs[n-1].Number + 1
		}
	}
	for _, m := range b.mechs {
		if m.Number == number {
			b.warn("строка %d: механизм %d встречается повторно", line, number)
		}
	}
	b.cur = &Mechanism{Number: number, Title: title}
}

var (
	reNumberCell = regexp.MustCompile(`^(\d{1,3})\.?(?:(\d{1,3})\.?)?$`)
	reNumbered   = regexp.MustCompile(`^(\d{1,3})(?:\.(\d{1,3}))?[.)]\s*`)
	reHeading    = regexp.MustCompile(`^(?i:(?:механизм|раздел)\s+)?(\d{1,3})[.)]?\s+`)
	reBookmark   = regexp.MustCompile(`\[bookmark: [^\]]*\]`)
	reActNumber  = regexp.MustCompile(`№\s*\S+$`)
)

// number reads a number cell: "1." is a mechanism, "4.2" a measure of mechanism 4.
func number(s string) (mech, measure int) {
	m := reNumberCell.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0
	}
	mech = atoi(m[1])
	if m[2] != "" {
		measure = atoi(m[2])
	}
	return mech, measure
}

func (b *builder) add(r row, line int) {
	var texts []string
	values := map[field]string{}
	col := 0
	for _, c := range r {
		t := cleanCell(c.text)
		if t != "" {
			texts = append(texts, t)
		}
		if f, ok := b.cols[col]; ok {
			values[f] = t
		}
		col += c.span
	}
	if len(texts) == 0 || columnNumbers(r) {
		return
	}
	if _, ok := header(r); ok { // the header repeated on a new page
		return
	}
	if len(r) == 1 || (len(texts) == 1 && (values[fieldMeasure] == "" || !b.hasMechanismColumn)) {
		b.heading(texts[0], line)
		return
	}
	if values[fieldMeasure] == "" {
		b.warn("строка %d пропущена: нет текста мероприятия", line)
		return
	}

	mech, sub := number(values[fieldNumber])
	title := values[fieldMechanism]
	switch {
	case title != "" && (b.cur == nil || title != b.cur.Title):
		if mech == 0 {
			mech, title = splitNumbered(title)
		}
		b.start(mech, title, line)
	case mech > 0 && (sub > 0 || b.hasMechanismColumn) && (b.cur == nil || mech != b.cur.Number):
		b.start(mech, "", line)
		b.warn("строка %d: у механизма %d нет названия", line, mech)
	case b.cur == nil:
		b.start(0, "", line)
		b.warn("строка %d: мероприятие вне механизма", line)
	}

	text := values[fieldMeasure]
	if m := reNumbered.FindStringSubmatch(text); m != nil {
		n := atoi(m[1])
		if m[2] != "" {
			n = atoi(m[2])
		}
		if sub == 0 {
			sub = n
		}
		text = text[len(m[0]):]
	}
	if sub == 0 {
		sub = len(b.cur.Measures) + 1
	}
	num := strconv.Itoa(b.cur.Number) + "." + strconv.Itoa(sub)
	for _, ms := range b.cur.Measures {
		if ms.Number == num {
			b.warn("строка %d: номер мероприятия %s встречается повторно", line, num)
		}
	}
	result := values[fieldResult]
	b.cur.Measures = append(b.cur.Measures, Measure{
		Number:         num,
		Text:           text,
		ExpectedResult: result,
		Indicator:      ParseIndicator(result),
		Schedule:       ParseSchedule(values[fieldSchedule]),
		Responsible:    SplitResponsible(values[fieldResponsible]),
	})
}

// heading starts a mechanism from a row across the table: «1. Развитие официального сайта».
func (b *builder) heading(text string, line int) {
	n, title := splitNumbered(text)
	b.start(n, title, line)
}

func splitNumbered(text string) (int, string) {
	if m := reHeading.FindStringSubmatch(text); m != nil {
		return atoi(m[1]), text[len(m[0]):]
	}
	return 0, text
}

// columnNumbers reports a row that only numbers the columns (1, 2, 3, …), as
// Russian forms often have under the header.
func columnNumbers(r row) bool {
	for i, c := range r {
		if strings.TrimRight(strings.TrimSpace(c.text), ".") != strconv.Itoa(i+1) {
			return false
		}
	}
	return len(r) > 1
}

// cleanCell normalises the text of a cell so that the same plan reads the same
// from any source: no non-breaking spaces or runs of spaces, no empty
// paragraphs, no marks a converter left (the seed has «[bookmark: _GoBack]»).
func cleanCell(s string) string {
	s = reBookmark.ReplaceAllString(s, "")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// readPreamble finds the title and the approving act in the text above the
// table: «УТВЕРЖДЕН распоряжением … от 07.03.2018 № 118», then the title.
func readPreamble(lines []string) (title, act string) {
	var approval, rest []string
	inApproval := false
	for _, l := range lines {
		l = cleanCell(l)
		upper := strings.ToUpper(l)
		switch {
		case strings.HasPrefix(upper, "УТВЕРЖД") || strings.HasPrefix(upper, "ПРИЛОЖЕНИЕ"):
			inApproval = true
			if i := strings.IndexFunc(l, unicode.IsSpace); i > 0 {
				// «УТВЕРЖДЕНО распоряжением … № 118» on one line.
				approval = append(approval, l[i+1:])
				inApproval = !reActNumber.MatchString(l)
			}
		case inApproval && l == "":
			inApproval = false
		case inApproval:
			approval = append(approval, l)
			// The act ends with its number; the title may follow without a blank line.
			if reActNumber.MatchString(l) {
				inApproval = false
			}
		case l == "":
			if len(rest) > 0 && title == "" {
				title = strings.Join(rest, " ")
			}
			rest = nil
		default:
			rest = append(rest, l)
		}
	}
	if title == "" {
		title = strings.Join(rest, " ")
	}
	return title, strings.Join(approval, " ")
}

// responsibleHeads are the words that begin the name of a unit. The seed
// puts two units on one line without a comma («руководители структурных
// подразделений Управление делами»), so a name is also split before one of
// these when it is capitalised in the middle of a line.
var responsibleHeads = map[string]bool{
	"Управление": true, "Комитет": true, "Отдел": true, "Юридический": true, "Пресс-секретарь": true,
	"Пресс-служба": true, "Заместитель": true, "Общественный": true, "Разработчики": true,
	"Руководители": true, "Руководитель": true, "Глава": true, "Департамент": true, "Сектор": true,
	"Служба": true, "Администрация": true, "Начальник": true, "Председатель": true, "Финансовое": true,
	"Муниципальное": true, "МКУ": true, "МБУ": true, "МАУ": true,
}

// SplitResponsible splits the responsible cell into units: by commas,
// semicolons and line breaks, and before a unit name that starts in the middle
// of a line. Each unit starts with a capital letter, as a name does, even
// where the plan continued a list in lower case; repeats are dropped.
func SplitResponsible(cell string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(words []string) {
		u := capitalize(strings.Trim(strings.Join(words, " "), " .-"))
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		words := strings.Fields(part)
		from := 0
		for i := 1; i < len(words); i++ {
			prev, _ := utf8.DecodeRuneInString(words[i-1])
			if responsibleHeads[words[i]] && unicode.IsLower(prev) {
				add(words[from:i])
				from = i
			}
		}
		add(words[from:])
	}
	return out
}

// Duplicate names the first mechanism or measure number that a plan holds
// twice («механизм 2», «мероприятие 1.3»), or is "". The import warns of a
// repeated number in the preview; a plan is saved only without one, since
// each number is the key of its row.
func (r Roadmap) Duplicate() string {
	mechs, measures := map[int]bool{}, map[string]bool{}
	for _, m := range r.Mechanisms {
		if mechs[m.Number] {
			return fmt.Sprintf("механизм %d", m.Number)
		}
		mechs[m.Number] = true
		for _, ms := range m.Measures {
			if measures[ms.Number] {
				return "мероприятие " + ms.Number
			}
			measures[ms.Number] = true
		}
	}
	return ""
}
