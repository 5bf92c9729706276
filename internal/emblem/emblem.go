// Package emblem keeps the municipality's coat of arms, uploaded by an
// administrator, and gives it to every page as the favicon, the touch icon
// (and link-preview picture) and the picture in the header. Without one the
// portal shows its neutral default.
package emblem

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
)

// Limits on what an administrator may upload.
const (
	MaxBytes    = 512 << 10 // an emblem is small; a larger file is a mistake
	MaxSide     = 4096      // pixels of an uploaded PNG
	MinSide     = 32
	TouchSide   = 180 // Apple's touch icon
	svgMaxDepth = 32
)

// ErrBadImage is an upload that is neither a clean SVG nor a PNG.
var ErrBadImage = errors.New("emblem: not an SVG or PNG image")

// svgElements are the SVG elements a coat of arms may use: shapes, groups,
// gradients, clipping and references. Scripts, foreign objects, images,
// links, styles and animation are dropped with everything inside them.
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "rect": true, "circle": true, "ellipse": true,
	"line": true, "polyline": true, "polygon": true, "defs": true, "symbol": true, "use": true,
	"linearGradient": true, "radialGradient": true, "stop": true, "clipPath": true, "mask": true,
	"title": true, "desc": true,
}

// svgAttrs are the presentation and geometry attributes kept; every other
// attribute (event handlers, style, external references) is dropped.
var svgAttrs = map[string]bool{
	"id": true, "d": true, "x": true, "y": true, "x1": true, "y1": true, "x2": true, "y2": true,
	"cx": true, "cy": true, "r": true, "rx": true, "ry": true, "fx": true, "fy": true,
	"width": true, "height": true, "viewBox": true, "preserveAspectRatio": true, "points": true,
	"transform": true, "fill": true, "fill-rule": true, "fill-opacity": true, "clip-rule": true,
	"stroke": true, "stroke-width": true, "stroke-linecap": true, "stroke-linejoin": true,
	"stroke-miterlimit": true, "stroke-dasharray": true, "stroke-dashoffset": true, "stroke-opacity": true,
	"opacity": true, "offset": true, "stop-color": true, "stop-opacity": true,
	"gradientUnits": true, "gradientTransform": true, "spreadMethod": true,
	"clip-path": true, "clipPathUnits": true, "mask": true, "maskUnits": true, "href": true,
}

const svgNS = "http://www.w3.org/2000/svg"

// SanitizeSVG parses an uploaded SVG and writes it again with only the
// allowed elements and attributes, so that nothing in it can run, load or
// point anywhere outside the picture itself. A document that is not SVG,
// has a DOCTYPE (entities), or is malformed is refused.
func SanitizeSVG(in []byte) ([]byte, error) {
	if len(in) > MaxBytes {
		return nil, ErrBadImage
	}
	dec := xml.NewDecoder(bytes.NewReader(in))
	dec.Strict = true
	var out bytes.Buffer
	depth, skip, root := 0, 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadImage, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, fmt.Errorf("%w: DOCTYPE is not allowed", ErrBadImage)
		case xml.StartElement:
			depth++
			if depth > svgMaxDepth {
				return nil, fmt.Errorf("%w: nested too deep", ErrBadImage)
			}
			if depth == 1 {
				if t.Name.Local != "svg" || (t.Name.Space != svgNS && t.Name.Space != "") || root {
					return nil, fmt.Errorf("%w: the root is not <svg>", ErrBadImage)
				}
				root = true
			}
			if skip > 0 || !svgElements[t.Name.Local] || (t.Name.Space != svgNS && t.Name.Space != "") {
				skip++
				continue
			}
			out.WriteString("<" + t.Name.Local)
			if depth == 1 {
				out.WriteString(` xmlns="` + svgNS + `"`)
			}
			for _, a := range t.Attr {
				if !cleanAttr(a) {
					continue
				}
				out.WriteString(" " + a.Name.Local + `="`)
				_ = xml.EscapeText(&out, []byte(a.Value))
				out.WriteString(`"`)
			}
			out.WriteString(">")
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			out.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			if skip == 0 && depth > 0 {
				_ = xml.EscapeText(&out, t)
			}
		}
	}
	if !root {
		return nil, fmt.Errorf("%w: no <svg> element", ErrBadImage)
	}
	return out.Bytes(), nil
}

// cleanAttr keeps an allowed attribute whose value refers to nothing
// outside the document: references only as "#id" or "url(#id)".
func cleanAttr(a xml.Attr) bool {
	if !svgAttrs[a.Name.Local] {
		return false
	}
	// Namespaced attributes other than xlink:href are dropped; xlink:href
	// is written as href, which browsers read the same.
	if a.Name.Space != "" && !(a.Name.Local == "href" && strings.HasSuffix(a.Name.Space, "xlink")) {
		return false
	}
	v := strings.ToLower(strings.TrimSpace(a.Value))
	if a.Name.Local == "href" {
		return strings.HasPrefix(v, "#")
	}
	if strings.Contains(v, "url(") {
		return strings.HasPrefix(strings.ReplaceAll(v, " ", ""), "url(#")
	}
	return !strings.Contains(v, "javascript:") && !strings.Contains(v, "data:")
}

// TouchIcon decodes an uploaded PNG and makes the 180×180 touch icon: the
// picture scaled to fit, centred on white (home screens show no
// transparency), averaged over the source pixels so that lines stay smooth.
func TouchIcon(in []byte) ([]byte, error) {
	if len(in) > MaxBytes {
		return nil, ErrBadImage
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(in))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadImage, err)
	}
	if cfg.Width < MinSide || cfg.Height < MinSide || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return nil, fmt.Errorf("%w: %d×%d pixels", ErrBadImage, cfg.Width, cfg.Height)
	}
	src, err := png.Decode(bytes.NewReader(in))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadImage, err)
	}
	dst := scaleOnWhite(src, TouchSide)
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("encode touch icon: %w", err)
	}
	return out.Bytes(), nil
}

// scaleOnWhite fits src into a side×side square by box averaging.
func scaleOnWhite(src image.Image, side int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := float64(side) / float64(max(w, h))
	tw, th := max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	ox, oy := (side-tw)/2, (side-th)/2
	dst := image.NewNRGBA(image.Rect(0, 0, side, side))
	for i := range dst.Pix {
		dst.Pix[i] = 0xff
	}
	for y := 0; y < th; y++ {
		sy0, sy1 := b.Min.Y+y*h/th, b.Min.Y+max((y+1)*h/th, y*h/th+1)
		for x := 0; x < tw; x++ {
			sx0, sx1 := b.Min.X+x*w/tw, b.Min.X+max((x+1)*w/tw, x*w/tw+1)
			var r, g, bl, n uint64
			for sy := sy0; sy < sy1; sy++ {
				for sx := sx0; sx < sx1; sx++ {
					c := color.NRGBA64Model.Convert(src.At(sx, sy)).(color.NRGBA64)
					// Composite over white by the pixel's alpha.
					a := uint64(c.A)
					r += (uint64(c.R)*a + 0xffff*(0xffff-a)) / 0xffff
					g += (uint64(c.G)*a + 0xffff*(0xffff-a)) / 0xffff
					bl += (uint64(c.B)*a + 0xffff*(0xffff-a)) / 0xffff
					n++
				}
			}
			dst.SetNRGBA(ox+x, oy+y, color.NRGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 0xff})
		}
	}
	return dst
}
