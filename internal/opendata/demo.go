package opendata

import (
	"context"
	"errors"
	"fmt"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// DemoINN is the INN the demo publishes under. It is given as the
// Verkhnyaya Pyshma administration's but was NOT verified against the tax
// register: an installation must enter its own on /admin/opendata/settings.
const DemoINN = "6606003385"

// demoUploaded is the dataset the demo publishes as if uploaded by hand.
var demoUploaded = struct {
	Code, Title, Description, Subject, Dept string
	Fields                                  []Field
	Rows                                    [][]string
}{
	Code:        "sport_grounds",
	Title:       "Спортивные площадки",
	Description: "Открытые спортивные площадки городского округа: адрес, вид спорта, покрытие, освещение, площадь.",
	Subject:     "спорт, площадки, благоустройство",
	Dept:        "affairs",
	Fields: []Field{
		{Name: "name", Description: "Наименование площадки", Format: FormatString, MaxLen: 200},
		{Name: "address", Description: "Адрес (ориентир)", Format: FormatString, MaxLen: 300},
		{Name: "sport", Description: "Виды спорта", Format: FormatString},
		{Name: "lighting", Description: "Освещение", Format: FormatBoolean},
		{Name: "area", Description: "Площадь, кв. м", Format: FormatDecimal},
		{Name: "opened", Description: "Дата ввода в эксплуатацию", Format: FormatDate},
	},
	Rows: [][]string{
		{"Стадион «Шахтёр», универсальная площадка", "ул. Кривоусова, 20", "футбол, баскетбол", "true", "1200,5", "2019-06-01"},
		{"Площадка у школы № 1", "ул. Красноармейская, 11", "волейбол, воркаут", "false", "640", "2020-08-15"},
		{"Хоккейная коробка «Юность»", "ул. Петрова, 39", "хоккей", "true", "1800", "2018-12-20"},
		{"Площадка в парке «Огонёк», \"малая\"", "ул. Победы, 9", "настольный теннис", "true", "210,25", "2021-05-30"},
	},
}

// Demo sets the publisher's details, publishes the uploaded demo dataset
// and generates the live datasets from the other areas' demo registers.
// Running it twice changes nothing.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	st, err := a.Store.Settings(ctx, a.DB, m.ID)
	if err != nil {
		return err
	}
	if st.INN == PlaceholderINN {
		st = Settings{MunicipalityID: m.ID, INN: DemoINN, PublisherName: "Управление делами администрации, " + m.Name,
			PublisherPhone: "+7 (34368) 5-38-34", PublisherEmail: "opendata@vpyshma.demo"}
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.Store.SaveSettings(ctx, tx, st) }); err != nil {
			return err
		}
	}
	u := demoUploaded
	if _, err := a.Store.ByCode(ctx, a.DB, m.ID, u.Code); errors.Is(err, db.ErrNotFound) {
		d := Dataset{MunicipalityID: m.ID, Code: u.Code, Title: u.Title, Description: u.Description, Subject: u.Subject,
			Creator: m.Name, UpdateDays: 365, Valid: "2027-12-31",
			Provenance: "Данные инвентаризации спортивных площадок; загружены вручную по структуре набора."}
		if dep, err := a.Tenants.DepartmentBySlug(ctx, m.ID, u.Dept); err == nil {
			d.DepartmentID = dep.ID
			// The department's first editor answers for the dataset.
			eds, err := a.People.Recipients(ctx, a.DB, m.ID, auth.Audience{Departments: []int64{dep.ID}, Roles: []string{auth.Editor}})
			if err != nil {
				return err
			}
			if len(eds) > 0 {
				d.ResponsibleID = eds[0].ID
			}
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.Create(ctx, tx, &d); err != nil {
				return err
			}
			_, _, err := a.Store.Publish(ctx, tx, d, u.Fields, u.Rows, 0, m.Local(a.DB.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("demo dataset: %w", err)
		}
	} else if err != nil {
		return err
	}
	// Forced: the other areas' demos record their events with past dates,
	// which the change check (events since the last run) cannot see.
	_, err = a.Generate(ctx, m, true)
	return err
}
