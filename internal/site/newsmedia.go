package site

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/web"
)

// Kinds of news attachments.
const (
	KindPhoto    = "photo"
	KindDocument = "document"
)

// PhotoKinds and DocumentKinds are what a news item accepts, told apart by
// the content, never by the file's name.
var (
	PhotoKinds    = []files.Kind{files.JPEG, files.PNG, files.WEBP}
	DocumentKinds = []files.Kind{files.PDF, files.DOCX, files.XLSX, files.ODT}
)

// Limits of a news item's attachments.
const (
	MaxPhotoBytes     = 5 << 20
	MaxNewsPhotos     = 20
	MaxNewsDocuments  = 20
	MaxAltChars       = 300
	MaxCaptionChars   = 300
	MaxDocTitleChars  = 300
	minAltLetterCount = 3
)

// Attachment is a photo or a document of a news item.
type Attachment struct {
	ID          int64
	NewsID      int64
	FileID      int64
	Kind        string
	Alt         string // photos: the alternative text
	Caption     string // photos: the visible caption; documents: the title
	Name        string
	ContentType string
	Size        int64
}

// URL is the file's public address.
func (a Attachment) URL() string { return "/news/" + itoa64(a.NewsID) + "/files/" + itoa64(a.FileID) }

// Title is how a document is listed: its title, or its file name.
func (a Attachment) Title() string {
	if a.Caption != "" {
		return a.Caption
	}
	return a.Name
}

// TypeLabel is the file's type as people know it ("PDF").
func (a Attachment) TypeLabel() string { return files.TypeLabel(a.ContentType) }

// SizeLabel is the file's size in Russian units.
func (a Attachment) SizeLabel() string { return files.SizeLabel(a.Size) }

// Errors of the alternative text, shown beside the field.
var (
	ErrAltMissing  = web.Invalid("Опишите, что изображено на фотографии: этот текст прочитают незрячие посетители и увидят те, у кого отключены изображения.")
	ErrAltTooLong  = web.Invalid("Описание фотографии длиннее 300 знаков: сократите его, подробности можно дать в подписи.")
	ErrAltNotWords = web.Invalid("Опишите фотографию словами по-русски, например «Глава округа вручает награды выпускникам», а не именем файла.")
	ErrAltIsName   = web.Invalid("Имя файла не описывает фотографию: напишите, что на ней изображено.")
)

// CheckAlt decides whether alt describes a photo uploaded as fileName. The
// site is Russian (GOST R 52872-2019 asks for text alternatives a reader
// understands), so the text must hold Russian words, and a file name or a
// camera's «IMG_0001» is no description.
func CheckAlt(alt, fileName string) error {
	alt = strings.TrimSpace(alt)
	if alt == "" {
		return ErrAltMissing
	}
	if utf8.RuneCountInString(alt) > MaxAltChars {
		return ErrAltTooLong
	}
	base := strings.TrimSpace(strings.TrimSuffix(fileName, fileExt(fileName)))
	if fileName != "" && (strings.EqualFold(alt, fileName) || strings.EqualFold(alt, base)) {
		return ErrAltIsName
	}
	cyr := 0
	for _, r := range alt {
		if unicode.Is(unicode.Cyrillic, r) {
			cyr++
		}
	}
	if cyr < minAltLetterCount {
		return ErrAltNotWords
	}
	return nil
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// CoverPhoto is the news item's first photo, used for sharing (og:image);
// ok is false when it has none.
func CoverPhoto(list []Attachment) (Attachment, bool) {
	for _, a := range list {
		if a.Kind == KindPhoto {
			return a, true
		}
	}
	return Attachment{}, false
}

// splitAttachments separates photos from documents, keeping their order.
func splitAttachments(list []Attachment) (photos, docs []Attachment) {
	for _, a := range list {
		if a.Kind == KindPhoto {
			photos = append(photos, a)
		} else {
			docs = append(docs, a)
		}
	}
	return photos, docs
}
