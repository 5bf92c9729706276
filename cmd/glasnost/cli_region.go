package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
)

// cmdRegionRole gives (grant) or takes away (revoke) the regional
// administrator's role: from the command line only, since a municipality's
// administrator must not make anybody regional. The change is audited.
func cmdRegionRole(ctx context.Context, args []string, stdout io.Writer, grant bool) error {
	name := "region revoke"
	if grant {
		name = "region grant"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	email := fs.String("email", "", "адрес электронной почты учётной записи")
	mun := fs.String("municipality", "", "код муниципального образования учётной записи")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	d, m, a, err := openAccount(ctx, cfg, *mun, *email)
	if err != nil {
		return err
	}
	defer d.Close()
	store := &auth.Store{DB: d}
	var changed bool
	err = d.InTx(ctx, func(tx *db.Tx) error {
		if changed, err = store.SetRole(ctx, tx, a.ID, auth.RegionalAdmin, grant); err != nil || !changed {
			return err
		}
		return audit.Write(ctx, tx, d.Now(), audit.Entry{MunicipalityID: m.ID, Actor: "командная строка", Action: "account." + map[bool]string{true: "region_grant", false: "region_revoke"}[grant],
			Entity: "account", EntityID: strconv.FormatInt(a.ID, 10), After: map[string]any{"role": auth.RegionalAdmin, "granted": grant}})
	})
	if err != nil {
		return err
	}
	switch {
	case !changed && grant:
		fmt.Fprintf(stdout, "У %s уже есть роль «%s».\n", a.Email, auth.RoleLabel(auth.RegionalAdmin))
	case !changed:
		fmt.Fprintf(stdout, "У %s нет роли «%s».\n", a.Email, auth.RoleLabel(auth.RegionalAdmin))
	case grant:
		fmt.Fprintf(stdout, "%s получил роль «%s»: сводка по региону — /admin/region.\n", a.Email, auth.RoleLabel(auth.RegionalAdmin))
	default:
		fmt.Fprintf(stdout, "У %s снята роль «%s».\n", a.Email, auth.RoleLabel(auth.RegionalAdmin))
	}
	return nil
}
