// Package pdfdoc starts PDF documents (fpdf) with a Cyrillic font embedded.
// The PDF core fonts have no Cyrillic letters, and the binary must not
// depend on fonts installed on the server, so DejaVu Sans (regular and
// bold, licence in fonts/LICENSE) is compiled in once for every area.
package pdfdoc

import (
	_ "embed"

	"github.com/go-pdf/fpdf"
)

// Font is the family name areas pass to SetFont.
const Font = "DejaVu"

var (
	//go:embed fonts/DejaVuSans.ttf
	regular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	bold []byte
)

// Meta describes a document for its properties.
type Meta struct {
	Title  string
	Author string
}

// New returns an A4 document in millimetres, "P" portrait or "L" landscape,
// with the DejaVu family ("" and "B") registered and Russian set as its
// language.
func New(orientation string, m Meta) *fpdf.Fpdf {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(Font, "", regular)
	pdf.AddUTF8FontFromBytes(Font, "B", bold)
	pdf.SetTitle(m.Title, true)
	pdf.SetAuthor(m.Author, true)
	pdf.SetCreator("glasnost", true)
	pdf.SetLang("ru-RU")
	return pdf
}
