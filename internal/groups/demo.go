package groups

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

type demoGroup struct {
	Name, Description string
	Spheres           []string
	ActNumber         string
	Members           []demoMember
}

type demoMember struct {
	Email, Name  string // a person with an account
	Organisation string
	Contact      string
	ShowName     bool
	Pending      bool
}

// demoPeople are residents of the demo who belong to groups; they never
// sign in (their password is random).
var demoPeople = map[string]string{
	"smirnova@vpyshma.demo":  "Анна Смирнова",
	"kuznetsov@vpyshma.demo": "Дмитрий Кузнецов",
	"popova@vpyshma.demo":    "Ольга Попова",
	"vasiliev@vpyshma.demo":  "Сергей Васильев",
	"morozova@vpyshma.demo":  "Татьяна Морозова",
	"volkov@vpyshma.demo":    "Игорь Волков",
}

func demoGroups() []demoGroup {
	return []demoGroup{
		{Name: "Предприниматели и инвесторы", Spheres: []string{"economy", "budget"}, ActNumber: "1201",
			Description: "Малый и средний бизнес городского округа: поддержка предпринимательства, муниципальный заказ, инвестиционные проекты.",
			Members: []demoMember{
				{Organisation: "Союз предпринимателей Верхней Пышмы", Contact: "Председатель, +7 343 000-00-01"},
				{Email: "kuznetsov@vpyshma.demo", ShowName: true},
				{Email: "volkov@vpyshma.demo", Pending: true},
			}},
		{Name: "Родители и педагоги", Spheres: []string{"education", "social"}, ActNumber: "1202",
			Description: "Родительские комитеты, педагоги и общественные организации в сфере образования и социальной поддержки семей.",
			Members: []demoMember{
				{Email: "smirnova@vpyshma.demo", ShowName: true},
				{Organisation: "Городской родительский совет", Contact: "+7 343 000-00-02"},
			}},
		{Name: "Советы домов и ТСЖ", Spheres: []string{"housing", "urban"}, ActNumber: "1203",
			Description: "Председатели советов многоквартирных домов и товариществ собственников жилья: содержание жилья, капитальный ремонт, благоустройство дворов.",
			Members: []demoMember{
				{Email: "resident@vpyshma.demo"},
				{Email: "popova@vpyshma.demo", ShowName: true},
				{Organisation: "ТСЖ «Успенский, 113»", Contact: "Управляющий, +7 343 000-00-03"},
			}},
		{Name: "Транспорт и безопасность дорожного движения", Spheres: []string{"transport", "safety"}, ActNumber: "1204",
			Description: "Перевозчики, автомобилисты и пешеходы: маршруты, дороги, безопасность движения.",
			Members: []demoMember{
				{Email: "vasiliev@vpyshma.demo"},
				{Organisation: "Ассоциация перевозчиков Верхней Пышмы", Contact: "+7 343 000-00-04"},
			}},
		{Name: "Экология и зелёный город", Spheres: []string{"ecology"}, ActNumber: "1205",
			Description: "Экологические движения и жители, которым небезразличны качество воздуха, воды и зелёные зоны.",
			Members: []demoMember{
				{Email: "morozova@vpyshma.demo", ShowName: true},
			}},
		{Name: "Культура, спорт и молодёжь", Spheres: []string{"culture", "sport"}, ActNumber: "1206",
			Description: "Учреждения культуры, спортивные клубы и молодёжные объединения.",
			Members: []demoMember{
				{Organisation: "Молодёжный совет городского округа", Contact: "+7 343 000-00-05"},
				{Email: "kuznetsov@vpyshma.demo"},
			}},
	}
}

// Demo loads six reference groups over the demo's spheres, their members
// (the demo resident among them) and one application waiting, then tells
// the groups of the consultations the demo has opened. Groups that exist
// are left alone, so running it twice changes nothing.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return err
	}
	bySlug := map[string]tenant.Sphere{}
	for _, s := range spheres {
		bySlug[s.Slug] = s
	}
	economy, err := a.Tenants.DepartmentBySlug(ctx, m.ID, "economy")
	if err != nil {
		return fmt.Errorf("groups demo needs the economy department: %w", err)
	}
	// The members cannot sign in: their one password is random and known
	// to nobody, hashed once for all of them.
	hash, err := auth.HashPassword(randomPassword())
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for email, name := range demoPeople {
		acc := auth.Account{MunicipalityID: m.ID, Email: email, FullName: name, Roles: []string{auth.Resident}, Confirmed: true}
		if _, err := auth.EnsureAccount(ctx, a.People, &acc, hash); err != nil {
			return fmt.Errorf("demo member %s: %w", email, err)
		}
		ids[email] = acc.ID
	}
	if acc, err := a.People.ByEmail(ctx, m.ID, "resident@vpyshma.demo"); err == nil {
		ids["resident@vpyshma.demo"] = acc.ID
	}
	entry := audit.Entry{MunicipalityID: m.ID, Actor: "демонстрационные данные"}
	for i, dg := range demoGroups() {
		if _, err := a.Store.FindByName(ctx, a.DB, m.ID, dg.Name); err == nil {
			continue
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		g := Group{MunicipalityID: m.ID, Name: dg.Name, Description: dg.Description, DepartmentID: economy.ID,
			Regulations: Regulations{Title: "Постановление администрации «Об утверждении регламента работы референтной группы»", Number: dg.ActNumber,
				Date: fmt.Sprintf("2018-06-%02d", 11+i)}}
		for _, s := range dg.Spheres {
			if sp, ok := bySlug[s]; ok {
				g.Spheres = append(g.Spheres, sp)
			}
		}
		if len(g.Spheres) == 0 {
			continue
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.SaveGroup(ctx, tx, nil, &g, entry); err != nil {
				return err
			}
			for _, dm := range dg.Members {
				mem := Member{GroupID: g.ID, Organisation: dm.Organisation, Contact: dm.Contact, ShowName: dm.ShowName, Status: StatusMember}
				if dm.Email != "" {
					id, ok := ids[dm.Email]
					if !ok {
						continue
					}
					mem.AccountID = id
				}
				if dm.Pending {
					mem.Status, mem.Note = StatusPending, "Руковожу небольшим производством, хочу участвовать в обсуждении мер поддержки."
				}
				if err := a.Store.Add(ctx, tx, m.ID, &mem, a.DB.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo group %q: %w", dg.Name, err)
		}
	}
	_, err = a.Inform(ctx, m, 0)
	return err
}

func randomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
