package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// slugPattern is what a municipality's or department's code may be: it
// appears in URLs and command lines.
var slugPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

// cmdMunicipalityAdd creates a municipality: the first step of a real
// installation (the demo creates its own).
func cmdMunicipalityAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("municipality add", flag.ContinueOnError)
	slug := fs.String("slug", "", "код (латиницей, например vpyshma)")
	name := fs.String("name", "", "полное наименование муниципального образования")
	short := fs.String("short-name", "", "краткое наименование (по умолчанию — полное)")
	hosts := fs.String("host", "", "имена хостов портала через запятую (нужны, когда муниципальных образований несколько)")
	zone := fs.String("timezone", "Europe/Moscow", "часовой пояс (например, Asia/Yekaterinburg)")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	var problems []string
	if !slugPattern.MatchString(*slug) {
		problems = append(problems, "--slug: от 2 до 40 строчных латинских букв, цифр и дефисов, начиная с буквы")
	}
	if strings.TrimSpace(*name) == "" || len([]rune(*name)) > 300 {
		problems = append(problems, "--name: укажите наименование (до 300 знаков)")
	}
	if _, err := time.LoadLocation(*zone); err != nil {
		problems = append(problems, fmt.Sprintf("--timezone: неизвестный часовой пояс %q", *zone))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	m := tenant.Municipality{Slug: *slug, Name: strings.TrimSpace(*name), ShortName: strings.TrimSpace(*short), TimeZone: *zone}
	if m.ShortName == "" {
		m.ShortName = m.Name
	}
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			m.Hosts = append(m.Hosts, h)
		}
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	ts := tenant.NewStore(d)
	if _, err := ts.BySlug(ctx, m.Slug); err == nil {
		return fmt.Errorf("муниципальное образование с кодом %q уже есть", m.Slug)
	}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return ts.Create(ctx, tx, &m) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Создано муниципальное образование «%s» (%s).\n", m.Name, m.Slug)
	return nil
}

// cmdMunicipalityList prints the installation's municipalities.
func cmdMunicipalityList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("municipality list", flag.ContinueOnError)
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	all, err := tenant.NewStore(d).All(ctx)
	if err != nil {
		return err
	}
	for _, m := range all {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", m.Slug, m.Name, strings.Join(m.Hosts, ","), m.TimeZone)
	}
	return nil
}

// cmdDepartmentAdd adds a structural unit of the administration, which
// staff accounts, appeals and datasets are assigned to.
func cmdDepartmentAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("department add", flag.ContinueOnError)
	slug := fs.String("slug", "", "код подразделения (латиницей, например legal)")
	name := fs.String("name", "", "наименование подразделения")
	mun := fs.String("municipality", "", "код муниципального образования")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if !slugPattern.MatchString(*slug) || strings.TrimSpace(*name) == "" {
		return errors.New("укажите --slug (строчные латинские буквы, цифры, дефис) и --name")
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	ts := tenant.NewStore(d)
	m, err := pickMunicipality(ctx, ts, *mun)
	if err != nil {
		return err
	}
	if _, err := ts.EnsureDepartment(ctx, d, m.ID, *slug, strings.TrimSpace(*name)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Подразделение «%s» (%s) есть в «%s».\n", strings.TrimSpace(*name), *slug, m.Name)
	return nil
}
