package groups

import (
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

func TestCheckLimit(t *testing.T) {
	for _, tc := range []struct {
		existing, limit int
		refused         bool
	}{
		{0, 8, false},
		{7, 8, false},
		{8, 8, true}, // the ninth group
		{9, 8, true},
		{2, 3, false},
		{3, 3, true},
		{7, 0, false}, // no setting: the default of 8
		{8, 0, true},
	} {
		err := CheckLimit(tc.existing, tc.limit)
		if (err != nil) != tc.refused {
			t.Errorf("CheckLimit(%d, %d) = %v, refused want %v", tc.existing, tc.limit, err, tc.refused)
			continue
		}
		if err != nil {
			msg := web.Classify(err).Message
			if web.Classify(err).Status != 422 || !strings.Contains(msg, "Новую группу создать нельзя") {
				t.Errorf("CheckLimit(%d, %d): %d %q", tc.existing, tc.limit, web.Classify(err).Status, msg)
			}
		}
	}
	if msg := web.Classify(CheckLimit(8, 8)).Message; !strings.Contains(msg, "уже 8 референтных групп") || !strings.Contains(msg, "предел для муниципального образования — 8") {
		t.Errorf("message for the ninth group: %q", msg)
	}
}

func TestParseLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"8", 8, true}, {" 12 ", 12, true}, {"0", 0, false}, {"51", 0, false}, {"восемь", 0, false}, {"", 0, false}} {
		got, err := ParseLimit(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseLimit(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestValidate(t *testing.T) {
	valid := map[int64]bool{1: true, 2: true}
	base := func() Group {
		return Group{Name: "Предприниматели", DepartmentID: 3, Spheres: sph(1)}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Group)
		field string
	}{
		{"valid", func(*Group) {}, ""},
		{"no name", func(g *Group) { g.Name = " " }, "name"},
		{"no spheres", func(g *Group) { g.Spheres = nil }, "spheres"},
		{"foreign sphere", func(g *Group) { g.Spheres = sph(9) }, "spheres"},
		{"no department", func(g *Group) { g.DepartmentID = 0 }, "department"},
		{"act without number", func(g *Group) { g.Regulations = Regulations{Date: "2018-06-11"} }, "act_number"},
		{"act with bad date", func(g *Group) { g.Regulations = Regulations{Number: "12", Date: "11.06.2018"} }, "act_date"},
		{"act with bad link", func(g *Group) {
			g.Regulations = Regulations{Number: "12", Date: "2018-06-11", URL: "javascript:alert(1)"}
		}, "act_url"},
		{"act with portal link", func(g *Group) { g.Regulations = Regulations{Number: "12", Date: "2018-06-11", URL: "/acts/5"} }, ""},
	} {
		g := base()
		tc.edit(&g)
		e := Validate(g, valid)
		if tc.field == "" && len(e) != 0 {
			t.Errorf("%s: unexpected errors %v", tc.name, e)
		}
		if tc.field != "" && e[tc.field] == "" {
			t.Errorf("%s: no error for %s: %v", tc.name, tc.field, e)
		}
	}
}

func TestValidateApplication(t *testing.T) {
	if e := ValidateApplication(Application{}); len(e) != 0 {
		t.Errorf("a personal application needs nothing: %v", e)
	}
	if e := ValidateApplication(Application{Organisation: "ТСЖ"}); e["contact"] == "" {
		t.Error("an organisation's application without a contact was accepted")
	}
	if e := ValidateApplication(Application{Organisation: "ТСЖ", Contact: "+7 343 000"}); len(e) != 0 {
		t.Errorf("valid organisation: %v", e)
	}
}

func TestPublicName(t *testing.T) {
	for _, tc := range []struct {
		m    Member
		want string
	}{
		{Member{Name: "Анна"}, ""},
		{Member{Name: "Анна", ShowName: true}, "Анна"},
		{Member{Name: "Анна", Organisation: "ТСЖ «Дом»"}, "ТСЖ «Дом»"},
	} {
		if got := tc.m.PublicName(); got != tc.want {
			t.Errorf("PublicName(%+v) = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func sph(ids ...int64) (out []tenant.Sphere) {
	for _, id := range ids {
		out = append(out, tenant.Sphere{ID: id})
	}
	return out
}
