// Command debpkg builds glasnost's Debian package from a built binary and the
// files under packaging/, with nfpm as a library: no download, no external
// tool. It is its own module so that the portal's go.mod does not carry the
// packager's dependencies.
//
//	go run ./tools/debpkg --binary dist/glasnost --version 0.1.0 --out dist/
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

func main() {
	binary := flag.String("binary", "dist/glasnost", "built glasnost binary (static, linux)")
	version := flag.String("version", "0.1.0", "package version")
	arch := flag.String("arch", "amd64", "Debian architecture")
	root := flag.String("root", ".", "repository root (where packaging/ is)")
	out := flag.String("out", "dist", "folder for the .deb")
	flag.Parse()
	path, err := build(*root, *binary, *version, *arch, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "debpkg:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

func build(root, binary, version, arch, out string) (string, error) {
	pkg := filepath.Join(root, "packaging")
	info := &nfpm.Info{
		Name:        "glasnost",
		Arch:        arch,
		Platform:    "linux",
		Version:     strings.TrimPrefix(version, "v"),
		Section:     "web",
		Priority:    "optional",
		Maintainer:  "glasnost developers <glasnost@localhost>",
		Description: "Portal for the openness of a municipal administration\n glasnost serves the official site, open data, polls, legal acts with\n plain-language explanations, public consultations, the public council,\n citizens' appeals with statutory deadlines and work with the press.",
		Homepage:    "https://github.com/glasnost/glasnost",
		License:     "AGPL-3.0-or-later",
		Overridables: nfpm.Overridables{
			Depends: []string{"adduser"},
			Contents: files.Contents{
				{Source: binary, Destination: "/usr/bin/glasnost", FileInfo: &files.ContentFileInfo{Mode: 0o755}},
				{Source: filepath.Join(pkg, "glasnost.service"), Destination: "/lib/systemd/system/glasnost.service", FileInfo: &files.ContentFileInfo{Mode: 0o644}},
				{Source: filepath.Join(pkg, "glasnost.env"), Destination: "/etc/glasnost/glasnost.env", Type: files.TypeConfigNoReplace, FileInfo: &files.ContentFileInfo{Mode: 0o640}},
				{Source: filepath.Join(root, "docs", "operations.md"), Destination: "/usr/share/doc/glasnost/operations.md", FileInfo: &files.ContentFileInfo{Mode: 0o644}},
			},
			Scripts: nfpm.Scripts{
				PostInstall: filepath.Join(pkg, "postinst"),
				PreRemove:   filepath.Join(pkg, "prerm"),
				PostRemove:  filepath.Join(pkg, "postrm"),
			},
		},
	}
	info = nfpm.WithDefaults(info)
	if err := nfpm.Validate(info); err != nil {
		return "", fmt.Errorf("package description: %w", err)
	}
	packager, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(out, packager.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := packager.Package(info, f); err != nil {
		f.Close()
		return "", fmt.Errorf("build %s: %w", path, err)
	}
	return path, f.Close()
}
