package opendata

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
)

// StandardVersion is the edition of the methodological recommendations whose
// file layout (list.csv, meta.csv, data-…-structure-….csv, structure-….csv)
// the files follow; harvesters of the Russian open-data portals read it.
const StandardVersion = "http://opendata.gosmonitor.ru/standard/3.0"

// Formats of a structure's fields.
const (
	FormatString  = "string"
	FormatInteger = "integer"
	FormatDecimal = "decimal"
	FormatDate    = "date"
	FormatBoolean = "boolean"
)

// FormatLabels name the field formats in Russian.
var FormatLabels = map[string]string{
	FormatString: "строка", FormatInteger: "целое число", FormatDecimal: "десятичное число",
	FormatDate: "дата", FormatBoolean: "логическое значение",
}

// Field is one column of a structure. MaxLen limits a text field's length
// in characters (0: the default limit).
type Field struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Format      string `json:"format"`
	MaxLen      int    `json:"max_len,omitempty"`
}

// DefaultMaxLen is the length limit of a text field without its own.
const DefaultMaxLen = 4000

// Settings are the publisher's details of a municipality.
type Settings struct {
	MunicipalityID int64
	INN            string
	PublisherName  string
	PublisherPhone string
	PublisherEmail string
	// LicenseTitle and LicenseURL are the conditions of use of every dataset
	// of the municipality; empty means DefaultLicense.
	LicenseTitle string
	LicenseURL   string
}

// License is the conditions of use shown on every dataset's page and given
// to harvesters. The methodological recommendations (2.4.4) require them on
// the dataset's page: free of charge, no contract, commercial use allowed,
// attribution to the source required — which CC BY 4.0 states.
type License struct {
	Title string
	URL   string
	// CKANID is the identifier CKAN's licence register uses for it.
	CKANID string
}

// DefaultLicense is the open licence a municipality publishes under until its
// administrator names another.
var DefaultLicense = License{
	Title:  "Creative Commons «С указанием авторства» 4.0 Международная (CC BY 4.0): свободное использование, в том числе в коммерческих целях, при указании источника",
	URL:    "https://creativecommons.org/licenses/by/4.0/legalcode.ru",
	CKANID: "cc-by",
}

// License returns the conditions of use in force.
func (st Settings) License() License {
	if st.LicenseTitle == "" {
		return DefaultLicense
	}
	l := License{Title: st.LicenseTitle, URL: st.LicenseURL, CKANID: "other-open"}
	if l.URL == DefaultLicense.URL {
		l.CKANID = DefaultLicense.CKANID
	}
	return l
}

// PlaceholderINN stands in until an administrator enters the real INN.
const PlaceholderINN = "0000000000"

// Dataset is a dataset with its passport.
type Dataset struct {
	ID             int64
	MunicipalityID int64
	Code           string
	Identifier     string // <INN>-<Code>, filled by the store
	Title          string
	Description    string
	Creator        string
	Subject        string // keywords, comma-separated
	Provenance     string
	Valid          string // YYYY-MM-DD, the date until which the data are valid
	PublisherName  string
	PublisherPhone string
	PublisherEmail string
	DepartmentID   int64
	Department     string
	ResponsibleID  int64
	Responsible    string
	UpdateDays     int
	Generated      bool
	CheckedAt      time.Time
	CreatedAt      time.Time
	ModifiedAt     time.Time
	// LastVersionAt is when the newest version was published (zero: none).
	LastVersionAt time.Time
	Versions      int
}

// Keywords are the subject's keywords.
func (d Dataset) Keywords() []string {
	var out []string
	for _, k := range strings.Split(d.Subject, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// URL is the dataset's human page.
func (d Dataset) URL() string { return "/opendata/" + d.Identifier }

// Overdue reports whether the dataset has not had a new version within its
// update period as of now (a dataset without versions is overdue once its
// period has passed since its creation).
func (d Dataset) Overdue(now time.Time) bool {
	if d.UpdateDays <= 0 {
		return false
	}
	last := d.LastVersionAt
	if last.IsZero() {
		last = d.CreatedAt
	}
	return now.Sub(last) > time.Duration(d.UpdateDays)*24*time.Hour
}

// Structure is one dated structure of a dataset.
type Structure struct {
	ID        int64
	DatasetID int64
	Name      string // structure-YYYYMMDD
	Fields    []Field
	CreatedAt time.Time
}

// Version is one immutable data file of a dataset.
type Version struct {
	ID          int64
	DatasetID   int64
	StructureID int64
	Structure   string
	Name        string // data-YYYYMMDD-structure-YYYYMMDD
	SHA256      string
	Rows        int
	Size        int
	CreatedAt   time.Time
}

// File is the version's file name.
func (v Version) File() string { return v.Name + ".csv" }

var reCode = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{1,63}$`)

// ValidCode reports whether code may be a dataset's code: lower-case Latin
// letters, digits and underscores, as the methodology's identifiers are.
func ValidCode(code string) bool { return reCode.MatchString(code) }

var reField = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// ValidFieldName reports whether a field's name is English as the
// methodology requires.
func ValidFieldName(name string) bool { return reField.MatchString(name) }

// Identifier joins the publisher's INN and the dataset's code.
func Identifier(inn, code string) string { return inn + "-" + code }

// StructureName names a structure published at t (in the municipality's
// time): structure-YYYYMMDD. When taken, the second one of the same day gets
// the time as well: structure-YYYYMMDDTHHMMSS.
func StructureName(t time.Time, taken func(string) bool) string {
	name := "structure-" + t.Format("20060102")
	if taken != nil && taken(name) {
		name = "structure-" + t.Format("20060102T150405")
	}
	return name
}

// VersionName names a data file published at t under a structure:
// data-YYYYMMDD-structure-YYYYMMDD. A second version on the same day never
// reuses the name: it gets the time, data-YYYYMMDDTHHMMSS-structure-…, which
// keeps the names sorting by time and the first version's file unchanged.
func VersionName(t time.Time, structure string, taken func(string) bool) string {
	date := strings.TrimPrefix(structure, "structure-")
	name := "data-" + t.Format("20060102") + "-structure-" + date
	if taken != nil && taken(name) {
		name = "data-" + t.Format("20060102T150405") + "-structure-" + date
	}
	return name
}

// EncodeCSV writes a header and rows as RFC 4180 CSV: UTF-8, comma, CRLF,
// fields with commas, quotes or line breaks quoted.
func EncodeCSV(header []string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("encode csv: %w", err)
	}
	return b.Bytes(), nil
}

// DataCSV is a version's file: the field names, then the rows.
func DataCSV(fields []Field, rows [][]string) ([]byte, error) {
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = f.Name
	}
	for i, r := range rows {
		if len(r) != len(fields) {
			return nil, fmt.Errorf("row %d has %d values, the structure %d", i+1, len(r), len(fields))
		}
	}
	return EncodeCSV(header, rows)
}

// StructureCSV is a structure's file in the methodology's layout.
func StructureCSV(fields []Field) ([]byte, error) {
	rows := make([][]string, len(fields))
	for i, f := range fields {
		rows[i] = []string{f.Name, f.Name, f.Description, f.Format}
	}
	return EncodeCSV([]string{"field name", "english description", "russian description", "format"}, rows)
}

// Hash is the hex SHA-256 of a file's content.
func Hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// FieldsFrom converts the portal's fields.
func FieldsFrom(fs []portal.DatasetField) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Name: f.Name, Description: f.Description, Format: f.Format}
	}
	return out
}

func encodeFields(fs []Field) string {
	b, _ := json.Marshal(fs)
	return string(b)
}

func decodeFields(s string) ([]Field, error) {
	var fs []Field
	if err := json.Unmarshal([]byte(s), &fs); err != nil {
		return nil, fmt.Errorf("decode structure: %w", err)
	}
	return fs, nil
}

// ParseFields reads a structure typed one field a line as
// «name | описание | формат | длина» (the length optional). Errors are in
// Russian, one per bad line.
func ParseFields(text string) ([]Field, []string) {
	var out []Field
	var errs []string
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) < 3 || len(parts) > 4 {
			errs = append(errs, fmt.Sprintf("Строка %d: нужно «имя | описание | формат», через вертикальную черту.", i+1))
			continue
		}
		f := Field{Name: parts[0], Description: parts[1], Format: parts[2]}
		if !ValidFieldName(f.Name) {
			errs = append(errs, fmt.Sprintf("Строка %d: имя поля пишется латиницей, без пробелов: «%s».", i+1, f.Name))
		}
		if seen[strings.ToLower(f.Name)] {
			errs = append(errs, fmt.Sprintf("Строка %d: поле «%s» уже есть.", i+1, f.Name))
		}
		seen[strings.ToLower(f.Name)] = true
		if _, ok := FormatLabels[f.Format]; !ok {
			errs = append(errs, fmt.Sprintf("Строка %d: формат «%s» неизвестен; допустимы string, integer, decimal, date, boolean.", i+1, f.Format))
		}
		if f.Description == "" {
			errs = append(errs, fmt.Sprintf("Строка %d: нужно описание поля на русском языке.", i+1))
		}
		if len(parts) == 4 && parts[3] != "" {
			var n int
			if _, err := fmt.Sscanf(parts[3], "%d", &n); err != nil || n <= 0 {
				errs = append(errs, fmt.Sprintf("Строка %d: длина должна быть положительным целым числом.", i+1))
			}
			f.MaxLen = n
		}
		out = append(out, f)
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, "Опишите хотя бы одно поле.")
	}
	return out, errs
}

// FieldsText is the inverse of ParseFields, for the edit form.
func FieldsText(fs []Field) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s | %s | %s", f.Name, f.Description, f.Format)
		if f.MaxLen > 0 {
			fmt.Fprintf(&b, " | %d", f.MaxLen)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func sameFields(a, b []Field) bool { return encodeFields(a) == encodeFields(b) }
