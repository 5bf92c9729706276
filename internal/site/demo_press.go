package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/pdfdoc"
	"github.com/glasnost/glasnost/internal/tenant"
)

// demoPressItem is a press-centre news item of the demo with its photo
// (drawn by the program, so the demo carries no third-party picture) and
// optionally a document.
type demoPressItem struct {
	Title, Summary, Body, Dept, Section string
	Spheres                             []string
	Date                                string // YYYY-MM-DD HH:MM local; "" = in two days at 10:00 (scheduled)
	Picture                             func() image.Image
	Alt, Caption                        string
	DocTitle                            string
	DocLines                            []string
}

var demoPressItems = []demoPressItem{
	{
		Title: "На площади Победы установили городскую ёлку", Summary: "Ель высотой 18 метров украсят к 20 декабря; рядом откроется ледовый городок.",
		Body: "Монтаж городской ёлки на площади Победы завершён. До 20 декабря на ней разместят гирлянды и игрушки, которые сделали воспитанники детских садов округа.\n\nЛедовый городок с горками откроется в тот же день.",
		Dept: "architecture", Section: "", Spheres: []string{"urban", "culture"}, Date: "2026-12-01 16:00",
		Picture: demoTree, Alt: "Иллюстрация: зелёная новогодняя ель со звездой на вершине на синем фоне, падает снег",
		Caption: "Иллюстрация: пресс-служба администрации",
	},
	{
		Title: "Объявлен конкурс на лучшее новогоднее оформление дворов", Summary: "Заявки принимаются до 22 декабря; победители получат сертификаты на благоустройство.",
		Body: "Администрация городского округа приглашает управляющие компании, ТСЖ и инициативных жителей украсить дворы к Новому году.\n\nУсловия участия — в положении о конкурсе ниже. Заявку можно подать в управление ЖКХ или [через портал](/appeals).",
		Dept: "housing", Section: "housing", Spheres: []string{"housing", "urban"}, Date: "2026-12-03 11:00",
		Picture: demoYard, Alt: "Иллюстрация: два жилых дома с освещёнными окнами, между ними натянута разноцветная гирлянда",
		Caption:  "Иллюстрация: пресс-служба администрации",
		DocTitle: "Положение о конкурсе на лучшее новогоднее оформление дворов",
		DocLines: []string{
			"ПОЛОЖЕНИЕ о конкурсе на лучшее новогоднее оформление дворов",
			"1. Конкурс проводит администрация городского округа Верхняя Пышма.",
			"2. Участники: управляющие компании, товарищества собственников жилья, инициативные группы жителей.",
			"3. Заявки принимаются до 22 декабря 2026 года в управлении жилищно-коммунального хозяйства.",
			"4. Критерии: оригинальность, безопасность, участие жителей, освещение.",
			"5. Итоги подводятся до 28 декабря 2026 года и публикуются на официальном сайте.",
		},
	},
	{
		Title: "Пресс-конференция главы округа по итогам года", Summary: "Глава городского округа ответит на вопросы журналистов и жителей.",
		Body: "Вопросы можно задать заранее через форму обращения на портале или на месте. Аккредитация журналистов — у пресс-секретаря администрации.",
		Dept: "press", Section: "press", Date: "", Picture: demoTree,
		Alt: "Иллюстрация: зелёная новогодняя ель со звездой на вершине на синем фоне, падает снег",
	},
}

// demoPress loads the press centre's demo news with their photos and
// documents; an item that exists (by title) is left as it is.
func (a *Area) demoPress(ctx context.Context, m tenant.Municipality, depts map[string]int64, sections map[string]Section, spheres map[string]SphereRef) error {
	if a.Files == nil {
		return nil
	}
	loc := locationOf(m)
	for _, dp := range demoPressItems {
		if ok, err := a.Store.NewsTitleExists(ctx, m.ID, dp.Title); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		n := News{MunicipalityID: m.ID, SectionID: sections[dp.Section].ID, SectionPath: dp.Section, DepartmentID: depts[dp.Dept], Title: dp.Title, Summary: dp.Summary, BodyMD: dp.Body}
		for _, s := range dp.Spheres {
			if ref, ok := spheres[s]; ok {
				n.Spheres = append(n.Spheres, ref)
			}
		}
		if dp.Date == "" {
			// Always ahead of the demo's clock, so that the calendar shows a
			// scheduled item whenever the demo is loaded.
			y, mo, d := a.DB.Now().In(loc).AddDate(0, 0, 2).Date()
			n.State, n.PublishAt = StateScheduled, time.Date(y, mo, d, 10, 0, 0, 0, loc).UTC()
		} else {
			t, err := time.ParseInLocation("2006-01-02 15:04", dp.Date, loc)
			if err != nil {
				return err
			}
			n.State, n.PublishedAt = StatePublished, t.UTC()
		}
		var err error
		if n.BodyHTML, err = a.Markdown.HTML(n.BodyMD); err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, dp.Picture()); err != nil {
			return err
		}
		photo, err := a.Files.Save(ctx, m.ID, 0, "foto.png", &buf, PhotoKinds...)
		if err != nil {
			return fmt.Errorf("demo photo: %w", err)
		}
		var doc files.Meta
		if dp.DocTitle != "" {
			if doc, err = a.demoDocument(ctx, m, dp.DocTitle, dp.DocLines); err != nil {
				return err
			}
		}
		err = a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.InsertNews(ctx, tx, &n, 0); err != nil {
				return err
			}
			if err := a.Store.AddRevision(ctx, tx, m.ID, "news", n.ID, n.Title, n.BodyMD, 0, "Демонстрационные данные"); err != nil {
				return err
			}
			if err := a.Store.AddNewsAttachment(ctx, tx, m.ID, &Attachment{NewsID: n.ID, FileID: photo.ID, Kind: KindPhoto, Alt: dp.Alt, Caption: dp.Caption}, 0); err != nil {
				return err
			}
			if doc.ID != 0 {
				if err := a.Store.AddNewsAttachment(ctx, tx, m.ID, &Attachment{NewsID: n.ID, FileID: doc.ID, Kind: KindDocument, Caption: dp.DocTitle}, 0); err != nil {
					return err
				}
			}
			return a.afterNewsSave(ctx, tx, n, n.State == StatePublished)
		})
		if err != nil {
			return fmt.Errorf("demo news %q: %w", dp.Title, err)
		}
	}
	return nil
}

// demoDocument writes a one-page PDF with the Cyrillic font and stores it.
func (a *Area) demoDocument(ctx context.Context, m tenant.Municipality, title string, lines []string) (files.Meta, error) {
	pdf := pdfdoc.New("P", pdfdoc.Meta{Title: title, Author: m.Name})
	pdf.SetMargins(25, 25, 20)
	pdf.AddPage()
	for i, l := range lines {
		if i == 0 {
			pdf.SetFont(pdfdoc.Font, "B", 14)
		} else {
			pdf.SetFont(pdfdoc.Font, "", 12)
		}
		pdf.MultiCell(0, 7, l, "", "L", false)
		pdf.Ln(3)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return files.Meta{}, fmt.Errorf("demo document: %w", err)
	}
	meta, err := a.Files.Save(ctx, m.ID, 0, "polozhenie-o-konkurse.pdf", &buf, DocumentKinds...)
	if err != nil {
		return meta, fmt.Errorf("demo document: %w", err)
	}
	return meta, nil
}

// The demo's pictures are drawn here, pixel by pixel: licence-free by
// construction and a few kilobytes as PNG.
const demoW, demoH = 640, 360

var (
	demoSky   = color.RGBA{0x1c, 0x3d, 0x6e, 0xff}
	demoGreen = color.RGBA{0x1f, 0x7a, 0x3a, 0xff}
	demoGold  = color.RGBA{0xf2, 0xc0, 0x2c, 0xff}
	demoWhite = color.RGBA{0xf4, 0xf6, 0xfa, 0xff}
)

func demoCanvas() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, demoW, demoH))
	for y := 0; y < demoH; y++ {
		for x := 0; x < demoW; x++ {
			img.Set(x, y, demoSky)
		}
	}
	// Snow: a fixed scatter, and a white ground.
	for i := 0; i < 140; i++ {
		x, y := (i*97+31)%demoW, (i*53+17)%(demoH-40)
		demoRect(img, x, y, x+3, y+3, demoWhite)
	}
	demoRect(img, 0, demoH-40, demoW, demoH, demoWhite)
	return img
}

func demoRect(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	for y := max(y0, 0); y < min(y1, demoH); y++ {
		for x := max(x0, 0); x < min(x1, demoW); x++ {
			img.Set(x, y, c)
		}
	}
}

// demoTriangle fills an isosceles triangle with its apex at (cx, top).
func demoTriangle(img *image.RGBA, cx, top, half, height int, c color.Color) {
	for dy := 0; dy < height; dy++ {
		w := half * dy / height
		demoRect(img, cx-w, top+dy, cx+w+1, top+dy+1, c)
	}
}

func demoTree() image.Image {
	img := demoCanvas()
	cx := demoW / 2
	demoRect(img, cx-14, demoH-90, cx+14, demoH-40, color.RGBA{0x6b, 0x3e, 0x1e, 0xff})
	demoTriangle(img, cx, 150, 130, 170, demoGreen)
	demoTriangle(img, cx, 95, 100, 130, demoGreen)
	demoTriangle(img, cx, 45, 70, 100, demoGreen)
	demoTriangle(img, cx, 22, 16, 26, demoGold)
	for i, p := range [][2]int{{-40, 130}, {35, 170}, {-70, 230}, {60, 250}, {0, 210}, {-20, 290}, {90, 300}} {
		c := []color.Color{demoGold, color.RGBA{0xd6, 0x2d, 0x2d, 0xff}}[i%2]
		demoRect(img, cx+p[0]-6, p[1]-6, cx+p[0]+6, p[1]+6, c)
	}
	return img
}

func demoYard() image.Image {
	img := demoCanvas()
	wall := color.RGBA{0xc9, 0xb8, 0x9a, 0xff}
	lit := color.RGBA{0xff, 0xe0, 0x80, 0xff}
	for _, x0 := range []int{60, 400} {
		demoRect(img, x0, 110, x0+180, demoH-40, wall)
		for row := 0; row < 5; row++ {
			for col := 0; col < 4; col++ {
				demoRect(img, x0+18+col*42, 128+row*38, x0+42+col*42, 150+row*38, lit)
			}
		}
	}
	colors := []color.Color{demoGold, color.RGBA{0xd6, 0x2d, 0x2d, 0xff}, color.RGBA{0x3c, 0xb4, 0x4b, 0xff}, color.RGBA{0x43, 0x63, 0xd8, 0xff}}
	for x := 240; x < 400; x += 16 {
		sag := (x - 240) * (400 - x) / 400
		demoRect(img, x, 140+sag, x+8, 148+sag, colors[(x/16)%len(colors)])
	}
	return img
}
