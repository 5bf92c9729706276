package files

import (
	"fmt"
	"strings"
)

// labels name the allowed kinds as people know them, for lists of
// downloads («Положение (PDF, 120 КБ)»).
var labels = map[string]string{
	PDF.ContentType: "PDF", DOCX.ContentType: "DOCX", XLSX.ContentType: "XLSX", ODT.ContentType: "ODT",
	PNG.ContentType: "PNG", JPEG.ContentType: "JPEG", WEBP.ContentType: "WebP", CSV.ContentType: "CSV",
	WAV.ContentType: "WAV", MP3.ContentType: "MP3", OGG.ContentType: "OGG", MP4.ContentType: "MP4", WEBM.ContentType: "WebM",
}

// TypeLabel is a content type's short name, or the type itself when it has none.
func TypeLabel(contentType string) string {
	if l, ok := labels[contentType]; ok {
		return l
	}
	return contentType
}

// SizeLabel writes a byte count in Russian units with a decimal comma:
// «512 Б», «120 КБ», «2,5 МБ».
func SizeLabel(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	if n < kb {
		return fmt.Sprintf("%d Б", n)
	}
	if n < mb {
		return fmt.Sprintf("%d КБ", (n+kb/2)/kb)
	}
	return strings.Replace(fmt.Sprintf("%.1f МБ", float64(n)/mb), ".", ",", 1)
}
