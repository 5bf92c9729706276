// Package acts is the register of municipal legal acts (mechanism 3 of the
// roadmap): acts with their attachments and links, plain-language
// explanations in five formats (measure 3.1), and reviews of
// law-enforcement practice (measure 8.3).
package acts

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/web"
)

// Option is a code stored in the database with its Russian label.
type Option struct {
	Value string
	Label string
}

// Kinds of act. The codes are what the API takes; the labels are what
// people read (the API accepts them too, for document-management systems
// that only know the Russian names).
var Kinds = []Option{
	{"resolution", "Постановление администрации"},
	{"order", "Распоряжение администрации"},
	{"head_resolution", "Постановление главы городского округа"},
	{"duma_decision", "Решение Думы городского округа"},
	{"directive", "Приказ"},
}

// Statuses of an act.
const (
	StatusDraft    = "draft"
	StatusInForce  = "in_force"
	StatusAmended  = "amended"
	StatusRepealed = "repealed"
)

// Statuses in display order.
var Statuses = []Option{
	{StatusDraft, "Проект"},
	{StatusInForce, "Действует"},
	{StatusAmended, "Изменён"},
	{StatusRepealed, "Утратил силу"},
}

// Link kinds: the act that holds the link amends or repeals its target.
const (
	LinkAmends  = "amends"
	LinkRepeals = "repeals"
)

// LinkKinds in display order, labelled from the linking act's side.
var LinkKinds = []Option{
	{LinkAmends, "вносит изменения в"},
	{LinkRepeals, "признаёт утратившим силу"},
}

// Explanation formats (measure 3.1 names five).
const (
	FormatText        = "text"
	FormatInfographic = "infographic"
	FormatAudio       = "audio"
	FormatVideo       = "video"
	FormatMindMap     = "mindmap"
)

// Formats in display order.
var Formats = []Option{
	{FormatText, "Текст простым языком"},
	{FormatInfographic, "Инфографика"},
	{FormatAudio, "Аудио"},
	{FormatVideo, "Видео"},
	{FormatMindMap, "Интеллект-карта"},
}

// Limits of the fields, in characters.
const (
	maxTitle       = 1000
	maxNumber      = 50
	maxText        = 200000
	maxExplanation = 20000
	maxURL         = 2000
)

// lookup finds a code by its value or Russian label, case-insensitively and
// with «ё» and «е» taken as one letter, as Russian keyboards often lack «ё».
func lookup(opts []Option, s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, o := range opts {
		if s == o.Value || strings.EqualFold(yo.Replace(s), yo.Replace(o.Label)) {
			return o.Value, true
		}
	}
	return "", false
}

var yo = strings.NewReplacer("ё", "е", "Ё", "Е")

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// KindLabel, StatusLabel and FormatLabel give the Russian names of codes.
func KindLabel(v string) string   { return label(Kinds, v) }
func StatusLabel(v string) string { return label(Statuses, v) }
func FormatLabel(v string) string { return label(Formats, v) }

// ParseKind and ParseStatus accept a code or a Russian label.
func ParseKind(s string) (string, bool) { return lookup(Kinds, s) }

// ParseStatus accepts a code or a Russian label («утратил силу»).
func ParseStatus(s string) (string, bool) { return lookup(Statuses, s) }

// Act is one legal act of a municipality.
type Act struct {
	ID             int64
	MunicipalityID int64
	Kind           string
	Number         string
	Date           string // YYYY-MM-DD, the date of signing
	Title          string
	Status         string
	DepartmentID   int64
	Department     string
	Text           string   // Markdown as written
	HTML           string   // rendered and sanitised at save
	Spheres        []string // slugs
	SphereNames    []string // read from the database, for pages
	Published      bool
	PublishedAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Public reports whether anyone may read the act.
func (a Act) Public() bool { return a.Published && a.Status != StatusDraft }

// URL is the act's stable public address.
func (a Act) URL() string { return fmt.Sprintf("/acts/%d", a.ID) }

// KindLabel is the Russian name of the act's kind.
func (a Act) KindLabel() string { return KindLabel(a.Kind) }

// StatusLabel is the Russian name of the act's status.
func (a Act) StatusLabel() string { return StatusLabel(a.Status) }

// DateRU is the date as Russian documents write it, 07.03.2018.
func (a Act) DateRU() string { return DateRU(a.Date) }

// Heading is how an act is cited: «Распоряжение администрации от 07.03.2018 № 118».
func (a Act) Heading() string {
	return fmt.Sprintf("%s от %s № %s", a.KindLabel(), a.DateRU(), a.Number)
}

// Citation is the heading with the title.
func (a Act) Citation() string { return a.Heading() + " «" + a.Title + "»" }

// DateRU turns YYYY-MM-DD into DD.MM.YYYY; other input is returned as is.
func DateRU(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02.01.2006")
}

// Errors maps field names to Russian messages; empty means valid.
type Errors map[string]string

func (e Errors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// ParseDate checks a civil date in ISO form and that it is not in the future
// by more than a year (a typo in the year is the usual mistake).
func ParseDate(s string, today time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", web.Invalid("Укажите дату в формате ГГГГ-ММ-ДД.")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		// People type dates the Russian way too.
		t, err = time.Parse("02.01.2006", s)
		if err != nil {
			return "", web.Invalid("Укажите дату в формате ГГГГ-ММ-ДД, например 2018-03-07.")
		}
	}
	if t.Year() < 1991 {
		return "", web.Invalid("Дата не может быть раньше 1991 года.")
	}
	if t.After(today.AddDate(1, 0, 0)) {
		return "", web.Invalid("Дата слишком далеко в будущем: проверьте год.")
	}
	return t.Format(time.DateOnly), nil
}

// Validate checks an act before it is saved. validSpheres is the set of the
// municipality's sphere slugs. Field names are those of the form and the API.
func Validate(a Act, validSpheres map[string]bool, today time.Time) Errors {
	e := Errors{}
	if _, ok := ParseKind(a.Kind); !ok {
		e.add("kind", "Выберите вид акта из списка.")
	}
	switch n := strings.TrimSpace(a.Number); {
	case n == "":
		e.add("number", "Укажите номер акта.")
	case utf8.RuneCountInString(n) > maxNumber:
		e.add("number", "Номер акта длиннее 50 знаков.")
	}
	if _, err := ParseDate(a.Date, today); err != nil {
		e.add("date", err.Error())
	}
	switch t := strings.TrimSpace(a.Title); {
	case t == "":
		e.add("title", "Укажите название акта.")
	case utf8.RuneCountInString(t) > maxTitle:
		e.add("title", "Название длиннее 1000 знаков.")
	}
	if _, ok := ParseStatus(a.Status); !ok {
		e.add("status", "Выберите статус акта из списка.")
	}
	if utf8.RuneCountInString(a.Text) > maxText {
		e.add("text", "Текст акта длиннее 200 000 знаков: приложите его файлом.")
	}
	for _, s := range a.Spheres {
		if !validSpheres[s] {
			e.add("spheres", fmt.Sprintf("Неизвестная сфера «%s».", s))
		}
	}
	if a.Published && a.Status == StatusDraft {
		e.add("published", "Проект акта нельзя опубликовать в реестре: сначала укажите, что акт принят и действует.")
	}
	return e
}

// LinkEffect is the status a target act takes when an act that is in force
// links to it: a repealed act stays repealed whatever amends it later, and
// a draft is not touched (a draft cannot have been amended or repealed).
func LinkEffect(target, link string) string {
	switch {
	case target == StatusDraft || target == StatusRepealed:
		return target
	case link == LinkRepeals:
		return StatusRepealed
	case link == LinkAmends:
		return StatusAmended
	default:
		return target
	}
}

// ValidateLink checks a link from one act to another: not to itself, of a
// known kind, and not backwards in time (an act cannot change a later one).
func ValidateLink(from, to Act, kind string) error {
	if _, ok := lookup(LinkKinds, kind); !ok {
		return web.Invalid("Выберите вид связи из списка.")
	}
	if from.ID == to.ID {
		return web.Invalid("Акт не может ссылаться сам на себя.")
	}
	if to.Date > from.Date {
		return web.Invalid(fmt.Sprintf("Акт от %s не может изменить или отменить более поздний акт от %s.", from.DateRU(), to.DateRU()))
	}
	return nil
}

// Explanation is a plain-language explanation of an act in one format.
// Body holds, by format: the text (text), the text alternative of the image
// (infographic), the transcript (audio, video) or the outline (mind map).
type Explanation struct {
	ID              int64
	MunicipalityID  int64
	ActID           int64
	Format          string
	Title           string
	Body            string
	HTML            string
	FileID          int64 // image, audio or video upload
	FileType        string
	VideoURL        string   // an external video instead of an upload
	AudioFileID     int64    // speech generated from a text explanation
	AudioOpusFileID int64    // its Opus copy, 0 without opusenc
	AudioMP3FileID  int64    // its MP3 copy, 0 without lame
	AudioSizes      [3]int64 // bytes of the WAV, Opus and MP3, for the download links
	AudioStatus     string   // "", "pending", "ready", "failed"
	Published       bool
	PublishedAt     time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Audio generation states of a text explanation.
const (
	AudioPending = "pending"
	AudioReady   = "ready"
	AudioFailed  = "failed"
)

// FormatLabel is the Russian name of the explanation's format.
func (x Explanation) FormatLabel() string { return FormatLabel(x.Format) }

// BodyLabel names what Body means for the format, for forms and errors.
func BodyLabel(format string) string {
	switch format {
	case FormatInfographic:
		return "Текстовое описание изображения"
	case FormatAudio, FormatVideo:
		return "Расшифровка"
	case FormatMindMap:
		return "Схема в виде списка"
	default:
		return "Текст пояснения"
	}
}

// ValidateExplanation checks an explanation. hasFile says whether an upload
// is attached (now or from before).
func ValidateExplanation(x Explanation, hasFile bool) Errors {
	e := Errors{}
	if _, ok := lookup(Formats, x.Format); !ok {
		e.add("format", "Выберите формат пояснения.")
		return e
	}
	switch t := strings.TrimSpace(x.Title); {
	case t == "":
		e.add("title", "Укажите заголовок пояснения.")
	case utf8.RuneCountInString(t) > maxTitle:
		e.add("title", "Заголовок длиннее 1000 знаков.")
	}
	body := strings.TrimSpace(x.Body)
	if utf8.RuneCountInString(body) > maxExplanation {
		e.add("body", "Текст длиннее 20 000 знаков: разделите пояснение на части.")
	}
	switch x.Format {
	case FormatText:
		if body == "" {
			e.add("body", "Напишите текст пояснения.")
		}
	case FormatInfographic:
		if !hasFile {
			e.add("file", "Загрузите изображение в формате PNG или JPEG.")
		}
		if body == "" {
			e.add("body", "Опишите изображение словами: без описания его не поймут незрячие читатели.")
		}
	case FormatAudio:
		if !hasFile {
			e.add("file", "Загрузите аудиофайл в формате MP3, OGG или WAV.")
		}
		if body == "" {
			e.add("body", "Приложите расшифровку аудиозаписи: без неё запись недоступна неслышащим читателям.")
		}
	case FormatVideo:
		u := strings.TrimSpace(x.VideoURL)
		switch {
		case !hasFile && u == "":
			e.add("file", "Загрузите видео (MP4 или WebM) или укажите ссылку на него.")
		case u != "" && !validHTTPURL(u):
			e.add("video_url", "Укажите ссылку, которая начинается с https:// или http://.")
		}
		if body == "" {
			e.add("body", "Приложите расшифровку видео: без неё оно недоступно неслышащим и незрячим читателям.")
		}
	case FormatMindMap:
		if body == "" {
			e.add("body", "Напишите схему: тему в первой строке, ветви — пунктами списка «- ».")
		} else if _, err := ParseOutline(body); err != nil {
			e.add("body", err.Error())
		}
	}
	return e
}

func validHTTPURL(s string) bool {
	if utf8.RuneCountInString(s) > maxURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Review is a review of law-enforcement practice (measure 8.3): what courts
// found unlawful in the period and what the administration does about it.
type Review struct {
	ID             int64
	MunicipalityID int64
	Title          string
	From, To       string // YYYY-MM-DD
	DepartmentID   int64
	Department     string
	Text           string
	HTML           string
	ActIDs         []int64
	Published      bool
	PublishedAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// URL is the review's public address.
func (r Review) URL() string { return fmt.Sprintf("/practice-reviews/%d", r.ID) }

// Period is «с 01.01.2019 по 30.06.2019».
func (r Review) Period() string { return "с " + DateRU(r.From) + " по " + DateRU(r.To) }

// ValidateReview checks a review before it is saved.
func ValidateReview(r Review, today time.Time) Errors {
	e := Errors{}
	switch t := strings.TrimSpace(r.Title); {
	case t == "":
		e.add("title", "Укажите название обзора.")
	case utf8.RuneCountInString(t) > maxTitle:
		e.add("title", "Название длиннее 1000 знаков.")
	}
	from, ferr := ParseDate(r.From, today)
	if ferr != nil {
		e.add("from", ferr.Error())
	}
	to, terr := ParseDate(r.To, today)
	if terr != nil {
		e.add("to", terr.Error())
	}
	if ferr == nil && terr == nil && to < from {
		e.add("to", "Конец периода не может быть раньше его начала.")
	}
	if strings.TrimSpace(r.Text) == "" {
		e.add("text", "Напишите текст обзора.")
	} else if utf8.RuneCountInString(r.Text) > maxText {
		e.add("text", "Текст обзора длиннее 200 000 знаков.")
	}
	return e
}

// Citation is a reference to an act as staff type it: its address on the
// portal («/acts/12», a full URL, or just «12») or its number and date
// («№ 118 от 07.03.2018»).
type Citation struct {
	ID     int64
	Number string
	Date   string // YYYY-MM-DD
	Text   string // as typed, for error messages
}

var (
	citationNumberDate = regexp.MustCompile(`(?i)№\s*([^\s,;]+)\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})`)
	citationDateNumber = regexp.MustCompile(`(?i)от\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?)?\s*№\s*([^\s,;]+)`)
	citationPath       = regexp.MustCompile(`(?:^|/)acts/(\d+)/?(?:[?#].*)?$`)
	citationID         = regexp.MustCompile(`^\d+$`)
)

// ParseCitations reads one citation per line (or separated by «;»). It
// returns the citations it understood and the entries it did not.
func ParseCitations(s string) (cits []Citation, bad []string) {
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if c, ok := parseCitation(line); ok {
			cits = append(cits, c)
		} else {
			bad = append(bad, line)
		}
	}
	return cits, bad
}

func parseCitation(s string) (Citation, bool) {
	c := Citation{Text: s}
	if m := citationID.FindString(s); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		c.ID = id
		return c, err == nil && id > 0
	}
	if m := citationPath.FindStringSubmatch(s); m != nil {
		id, err := strconv.ParseInt(m[1], 10, 64)
		c.ID = id
		return c, err == nil && id > 0
	}
	number, date := "", ""
	if m := citationNumberDate.FindStringSubmatch(s); m != nil {
		number, date = m[1], m[2]
	} else if m := citationDateNumber.FindStringSubmatch(s); m != nil {
		number, date = m[2], m[1]
	} else {
		return c, false
	}
	t, err := time.Parse("2.1.2006", date)
	if err != nil {
		return c, false
	}
	c.Number, c.Date = strings.TrimRight(number, "."), t.Format(time.DateOnly)
	return c, true
}
