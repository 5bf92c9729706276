package audit

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Templates are the package's pages, for the renderer.
func Templates() fs.FS {
	sub, _ := fs.Sub(templatesFS, "templates")
	return sub
}
