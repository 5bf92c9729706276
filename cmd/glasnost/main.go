// Command glasnost serves the openness portal of a municipal administration
// and manages its database, accounts and demo content.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/progress"
	"github.com/glasnost/glasnost/internal/tenant"
)

var version = "0.1.0-dev"

const usage = `glasnost — портал открытости муниципальной администрации.

Команды:
  glasnost serve [--addr 127.0.0.1:8080] [--demo]   запустить портал
  glasnost migrate                                  применить миграции базы данных
  glasnost demo [--scale N] [--municipalities N]    загрузить демонстрационное муниципальное образование
                                                    (--scale добавляет данные для нагрузочных тестов,
                                                    --municipalities — N округов на хостах mNN.demo.local)
  glasnost municipality add --slug S --name N [--short-name N] [--host H,…] [--timezone Z]
                                                    создать муниципальное образование (первый шаг установки)
  glasnost municipality list                        перечислить муниципальные образования
  glasnost department add --slug S --name N [--municipality M]
                                                    добавить подразделение администрации
  glasnost user add --email E --role R [--department D] [--municipality M] [--name N]
                                                    создать учётную запись (пароль читается со стандартного ввода)
  glasnost token create --email E [--municipality M] [--name N] [--days 365]
                                                    выпустить API-токен
  glasnost roadmap import --file F [--municipality M] [--dry-run]
                                                    импортировать дорожную карту из DOCX или TSV
  glasnost region grant|revoke --email E [--municipality M]
                                                    дать или снять роль администратора региона (сводка /admin/region)
  glasnost backup --to FILE                         записать базу данных и файлы в один архив (портал может работать)
  glasnost restore --from FILE [--force]            восстановить копию в новую установку
  glasnost version                                  показать версию

Настройка: GLASNOST_DATABASE_URL, GLASNOST_DATA_DIR, GLASNOST_FILES_URL (s3://…), GLASNOST_SMTP_URL, GLASNOST_BASE_URL,
GLASNOST_ADDR (адрес вместо --addr), GLASNOST_LOG_FORMAT=json, GLASNOST_LOG_LEVEL=debug|info|warn|error.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "glasnost:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("не указана команда")
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && (cmd == "user" || cmd == "token" || cmd == "roadmap" || cmd == "municipality" || cmd == "department" || cmd == "region") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout)
	case "demo":
		return cmdDemo(ctx, rest, stdout)
	case "municipality add":
		return cmdMunicipalityAdd(ctx, rest, stdout)
	case "municipality list":
		return cmdMunicipalityList(ctx, rest, stdout)
	case "department add":
		return cmdDepartmentAdd(ctx, rest, stdout)
	case "user add":
		return cmdUserAdd(ctx, rest, stdin, stdout)
	case "token create":
		return cmdTokenCreate(ctx, rest, stdout)
	case "roadmap import":
		return cmdRoadmapImport(ctx, rest, stdout)
	case "region grant":
		return cmdRegionRole(ctx, rest, stdout, true)
	case "region revoke":
		return cmdRegionRole(ctx, rest, stdout, false)
	case "backup":
		return cmdBackup(ctx, rest, stdout)
	case "restore":
		return cmdRestore(ctx, rest, stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "glasnost", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("неизвестная команда %q", cmd)
	}
}

// newLogger writes logs as text, or as JSON lines when
// GLASNOST_LOG_FORMAT=json (for log shippers such as Vector or Fluent Bit);
// GLASNOST_LOG_LEVEL=debug|info|warn|error sets the level.
func newLogger(w io.Writer) *slog.Logger {
	return loggerFor(w, os.Getenv)
}

func loggerFor(w io.Writer, getenv func(string) string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var level slog.Level
	if err := level.UnmarshalText([]byte(getenv("GLASNOST_LOG_LEVEL"))); err == nil {
		opts.Level = level
	}
	if strings.EqualFold(getenv("GLASNOST_LOG_FORMAT"), "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func loadConfig(fs *flag.FlagSet, args []string) (config.Config, error) {
	cfg := config.FromEnv(config.Getenv)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "адрес для HTTP-сервера")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// openDB opens the database; on SQLite migrations run automatically, on
// PostgreSQL migrate is the explicit step and a behind schema stops serve.
func openDB(ctx context.Context, cfg config.Config, autoMigrate bool) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("база данных недоступна: %w", err)
	}
	if d.Dialect == db.SQLite || autoMigrate {
		if err := migrateAll(ctx, d); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	pending, err := d.Pending(ctx)
	if err == nil && len(pending) == 0 {
		var behind bool
		behind, err = jobs.Pending(ctx, d)
		if behind {
			pending = append(pending, "river")
		}
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	if len(pending) > 0 {
		d.Close()
		return nil, fmt.Errorf("схема базы данных PostgreSQL отстаёт (не применено миграций: %d). Выполните «glasnost migrate» и запустите снова", len(pending))
	}
	return d, nil
}

func migrateAll(ctx context.Context, d *db.DB) error {
	if _, err := d.Migrate(ctx); err != nil {
		return fmt.Errorf("миграции: %w", err)
	}
	return jobs.Migrate(ctx, d)
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := loadConfig(flag.NewFlagSet("migrate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	ran, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Применено миграций: %d\n", len(ran))
	return nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "загрузить демонстрационные данные перед запуском")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	log := newLogger(stderr)
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	app, err := newApp(ctx, cfg, log, d, appOptions{Work: true, Listen: true})
	if err != nil {
		return err
	}
	if *demo {
		if err := loadDemo(ctx, app); err != nil {
			return fmt.Errorf("демонстрационные данные: %w", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("не удалось занять адрес %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	if err := app.Queue.Start(ctx); err != nil {
		return err
	}
	log.Info("glasnost started", "version", version, "config", cfg.Redacted())
	fmt.Fprintf(stdout, "glasnost слушает http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Shut down in order: stop taking requests, let jobs finish, then the
	// database closes (deferred).
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Error("http shutdown", "err", err)
	}
	if err := app.Queue.Stop(shutdown); err != nil {
		log.Error("job queue shutdown", "err", err)
	}
	log.Info("glasnost stopped")
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	scale := fs.Int("scale", 0, "добавить сгенерированные данные для нагрузочных тестов (1 — около 100 актов, 1000 комментариев и 10 000 обращений)")
	muns := fs.Int("municipalities", 0, "добавить N муниципальных образований (mNN.demo.local) для нагрузочных тестов")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if *scale < 0 || *scale > 1000 {
		return errors.New("--scale: укажите число от 1 до 1000")
	}
	if *muns < 0 || *muns > maxDemoMunicipalities {
		return fmt.Errorf("--municipalities: укажите число от 1 до %d", maxDemoMunicipalities)
	}
	d, err := openDB(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	app, err := newApp(ctx, cfg, newLogger(io.Discard), d, appOptions{})
	if err != nil {
		return err
	}
	report := progress.NewWriter(stdout, progress.IsTerminal(stdout))
	ctx = progress.With(ctx, report)
	start := time.Now()
	if err := loadDemo(ctx, app); err != nil {
		return err
	}
	if *scale > 0 {
		if err := loadScale(ctx, app, *scale); err != nil {
			return err
		}
	}
	if *muns > 0 {
		if err := loadMunicipalities(ctx, app, *muns); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Демонстрационные данные загружены за %.0f с.\n", time.Since(start).Seconds())
	return nil
}

func pickMunicipality(ctx context.Context, ts *tenant.Store, slug string) (tenant.Municipality, error) {
	if slug != "" {
		return ts.BySlug(ctx, slug)
	}
	all, err := ts.All(ctx)
	if err != nil {
		return tenant.Municipality{}, err
	}
	switch len(all) {
	case 0:
		return tenant.Municipality{}, errors.New("в базе нет ни одного муниципального образования: выполните «glasnost municipality add» (или «glasnost demo» для демонстрации)")
	case 1:
		return all[0], nil
	default:
		return tenant.Municipality{}, errors.New("муниципальных образований несколько: укажите --municipality")
	}
}

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	email := fs.String("email", "", "адрес электронной почты")
	role := fs.String("role", "", "роль (или несколько через запятую): "+roleList())
	dept := fs.String("department", "", "код подразделения (например, legal)")
	mun := fs.String("municipality", "", "код муниципального образования")
	name := fs.String("name", "", "имя и фамилия")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return errors.New("укажите --email и --role")
	}
	roles := strings.Split(*role, ",")
	for _, r := range roles {
		if r == auth.RegionalAdmin {
			return errors.New("роль regional_admin даётся отдельно, с записью в журнал: создайте учётную запись с другой ролью и выполните «glasnost region grant»")
		}
		if !auth.ValidRole(r) {
			return fmt.Errorf("неизвестная роль %q; возможные роли: %s", r, roleList())
		}
	}
	pw, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("чтение пароля: %w", err)
	}
	pw = strings.TrimRight(pw, "\r\n")
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
	a := &auth.Account{MunicipalityID: m.ID, Email: *email, FullName: *name, Roles: roles, Confirmed: true}
	if *dept != "" {
		dp, err := ts.DepartmentBySlug(ctx, m.ID, *dept)
		if err != nil {
			return fmt.Errorf("подразделение %q не найдено", *dept)
		}
		a.DepartmentID = dp.ID
	}
	store := &auth.Store{DB: d}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return store.Create(ctx, tx, a, pw) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Создана учётная запись %s (%s) в «%s».\n", a.Email, strings.Join(roles, ", "), m.Name)
	return nil
}

func roleList() string {
	var out []string
	for _, r := range auth.GrantableRoles() {
		out = append(out, r.Value)
	}
	return strings.Join(out, ", ")
}

// openAccount opens the database and finds the account of the command
// line's --email in the municipality of --municipality; the caller closes
// the database.
func openAccount(ctx context.Context, cfg config.Config, mun, email string) (*db.DB, tenant.Municipality, auth.Account, error) {
	if email == "" {
		return nil, tenant.Municipality{}, auth.Account{}, errors.New("укажите --email")
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return nil, tenant.Municipality{}, auth.Account{}, err
	}
	m, err := pickMunicipality(ctx, tenant.NewStore(d), mun)
	if err != nil {
		d.Close()
		return nil, m, auth.Account{}, err
	}
	a, err := (&auth.Store{DB: d}).ByEmail(ctx, m.ID, email)
	if err != nil {
		d.Close()
		return nil, m, a, fmt.Errorf("учётная запись %s не найдена в «%s»", email, m.Name)
	}
	return d, m, a, nil
}

func cmdTokenCreate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	email := fs.String("email", "", "адрес электронной почты учётной записи")
	mun := fs.String("municipality", "", "код муниципального образования")
	name := fs.String("name", "", "название токена (для чего он)")
	days := fs.Int("days", 365, "срок действия в днях")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	d, _, a, err := openAccount(ctx, cfg, *mun, *email)
	if err != nil {
		return err
	}
	defer d.Close()
	store := &auth.Store{DB: d}
	if *days < 1 || *days > int(auth.MaxTokenLifetime/(24*time.Hour)) {
		return fmt.Errorf("--days: от 1 до %d", int(auth.MaxTokenLifetime/(24*time.Hour)))
	}
	tok, err := store.IssueAPIToken(ctx, d, a.ID, *name, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
