package appeals

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestStatusLookupNumberSpellings: the status lookup finds an appeal by its
// number typed in any letter case, with spaces or another dash.
func TestStatusLookupNumberSpellings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		ap, err := a.Register(ctx, m, paper(a, env, "Номеров", a.Today(m)), Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		lower := []rune(ap.Number)
		tests := []struct {
			name, typed string
			found       bool
		}{
			{"as issued", ap.Number, true},
			{"lower case", string([]rune("вп")) + string(lower[2:]), true},
			{"spaces around and inside", "  ВП - " + string(lower[3:7]) + " - " + string(lower[8:]) + " ", true},
			{"en dash", "ВП–" + string(lower[3:7]) + "–" + string(lower[8:]), true},
			{"em dash and lower case", "вп—" + string(lower[3:7]) + "—" + string(lower[8:]), true},
			{"another number", "ВП-1999-000001", false},
		}
		for _, tt := range tests {
			p, err := a.PublicStatus(ctx, m.ID, tt.typed, "+7 (912) 000-00-01")
			if tt.found && (err != nil || p.Number != ap.Number) {
				t.Errorf("%s (%q): %v, %v", tt.name, tt.typed, p.Number, err)
			}
			if !tt.found && err == nil {
				t.Errorf("%s (%q): found %s", tt.name, tt.typed, p.Number)
			}
		}
	})
}

// TestSubmitRedirectsAndCatchesRepeats: a submission answers with a
// redirect to its confirmation, so reloading the confirmation registers
// nothing; the same text to the same addressee by the same author within
// DuplicateWindow is shown as the appeal already registered.
func TestSubmitRedirectsAndCatchesRepeats(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		env.Server()
		m := env.Municipality
		resident := env.Client("", auth.Resident)
		count := func() int {
			return dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND account_id = ?`, m.ID, resident.Account.ID)
		}
		tests := []struct {
			name      string
			text      string
			addressee string
			wantNew   bool
			wantNote  bool
		}{
			{"first submission", "Прошу убрать снег во дворе дома 5.", "administration", true, false},
			{"the same again (reloaded form, double click)", "Прошу убрать снег во дворе дома 5.", "administration", false, true},
			{"the same text to another addressee", "Прошу убрать снег во дворе дома 5.", "dept:" + strconv.FormatInt(env.Departments["housing"], 10), true, false},
			{"another text", "Прошу починить фонарь у дома 7.", "administration", true, false},
		}
		var first string
		for _, tt := range tests {
			before := count()
			r := resident.PostForm("/appeals", submitForm(url.Values{"text": {tt.text}, "addressee": {tt.addressee}}))
			loc := r.Header.Get("Location")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/appeals/submitted/") {
				t.Fatalf("%s: %d %q", tt.name, r.Status, loc)
			}
			if got := count() - before; (got == 1) != tt.wantNew || got > 1 {
				t.Errorf("%s: %d appeals registered", tt.name, got)
			}
			page := resident.Get(loc)
			number := numberIn(t, page.Body)
			if first == "" {
				first = number
			}
			if tt.wantNote && (number != first || !strings.Contains(page.Body, "повторная отправка не создаёт нового обращения")) {
				t.Errorf("%s: the repeat is not shown as the first appeal %s: %s", tt.name, first, number)
			}
			// Reloading the confirmation registers nothing.
			n := count()
			for range 2 {
				if again := resident.Get(loc); again.Status != 200 {
					t.Fatalf("%s: reload %d", tt.name, again.Status)
				}
			}
			if count() != n {
				t.Errorf("%s: reloading the confirmation registered an appeal", tt.name)
			}
		}
		// Only the author sees the confirmation.
		if r := env.Client("", auth.Resident).Get("/appeals/submitted/" + url.PathEscape(first)); r.Status != 404 {
			t.Errorf("another resident's confirmation: %d", r.Status)
		}
	})
}

func TestBindToAccount(t *testing.T) {
	tests := []struct {
		name    string
		account string
		typed   Author
		want    Author
		errs    []string
	}{
		{"nothing typed: the account's name", "Пётр Жителев", Author{}, Author{LastName: "Жителев", FirstName: "Пётр"}, nil},
		{"the same typed, other case and ё", "Пётр Жителев", Author{LastName: "ЖИТЕЛЕВ", FirstName: "петр"}, Author{LastName: "Жителев", FirstName: "Пётр"}, nil},
		{"a patronymic the account lacks", "Пётр Жителев", Author{MiddleName: "Иванович"}, Author{LastName: "Жителев", FirstName: "Пётр", MiddleName: "Иванович"}, nil},
		{"another surname (the review's case)", "Пётр Жителев", Author{LastName: "Проверкин", FirstName: "Пётр"}, Author{}, []string{"last_name"}},
		{"another name", "Жителев Пётр Иванович", Author{FirstName: "Павел"}, Author{}, []string{"first_name"}},
		{"another patronymic", "Жителев Пётр Иванович", Author{MiddleName: "Петрович"}, Author{}, []string{"middle_name"}},
		{"surname first with patronymic", "Жителев Пётр Иванович", Author{}, Author{LastName: "Жителев", FirstName: "Пётр", MiddleName: "Иванович"}, nil},
		{"name, patronymic, surname", "Пётр Иванович Жителев", Author{}, Author{LastName: "Жителев", FirstName: "Пётр", MiddleName: "Иванович"}, nil},
		{"no name in the account: as typed", "", Author{LastName: "Иванов", FirstName: "Иван"}, Author{LastName: "Иванов", FirstName: "Иван"}, nil},
	}
	for _, tt := range tests {
		got, errs := BindToAccount(tt.typed, tt.account)
		if len(errs) != len(tt.errs) {
			t.Errorf("%s: errors %v, want on %v", tt.name, errs, tt.errs)
			continue
		}
		for _, f := range tt.errs {
			if !strings.Contains(errs[f], "учётной записи") {
				t.Errorf("%s: %s error %q", tt.name, f, errs[f])
			}
		}
		if len(tt.errs) == 0 && (got.LastName != tt.want.LastName || got.FirstName != tt.want.FirstName || got.MiddleName != tt.want.MiddleName) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestRecordedAuthor(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		author  Author
		errs    []string
	}{
		{"written, nothing known (art. 8: registered all the same)", "written", Author{}, nil},
		{"written, no surname", "written", Author{FirstName: "Иван", PostalAddress: "ул. Ленина, 1"}, nil},
		{"written, no address", "written", Author{LastName: "Иванов"}, nil},
		{"phone with the number only", "phone", Author{Phone: "+7 343 555-01-02"}, nil},
		{"phone without a number", "phone", Author{LastName: "Иванов"}, []string{"phone"}},
		{"a bad e-mail is still refused", "written", Author{Email: "не-адрес"}, []string{"email"}},
	}
	for _, tt := range tests {
		errs := tt.author.ValidateRecorded(tt.channel)
		if len(errs) != len(tt.errs) {
			t.Errorf("%s: %v, want on %v", tt.name, errs, tt.errs)
			continue
		}
		for _, f := range tt.errs {
			if errs[f] == "" {
				t.Errorf("%s: no error on %s: %v", tt.name, f, errs)
			}
		}
	}
	if len((Author{}).Validate()) == 0 {
		t.Error("an electronic appeal without a name passed")
	}
}

// TestAnonymousWrittenAndPhone: staff register what is known; the card then
// offers article 11 part 1 with the crime-report prompt, and for a call says
// that a written answer needs an address; an answer to nobody is refused.
func TestAnonymousWrittenAndPhone(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		m := env.Municipality
		today := a.Today(m)
		op := env.Client("appeals", auth.Operator)
		tests := []struct {
			name    string
			form    url.Values
			status  int
			prompts []string
		}{
			{"written, no signature", url.Values{"channel": {"written"}, "kind": {"complaint"}, "text": {"Без подписи: во дворе продают спиртное детям."}}, 303,
				[]string{"ч. 1 ст. 11", "противоправном деянии", "Направить по компетенции"}},
			{"phone, number only", url.Values{"channel": {"phone"}, "kind": {"statement"}, "phone": {"+7 343 555-01-02"}, "text": {"Не горит фонарь."}}, 303,
				[]string{"по телефону", "письменный ответ направляется только по почтовому адресу"}},
			{"phone without a number", url.Values{"channel": {"phone"}, "kind": {"statement"}, "text": {"Не горит фонарь."}}, 422,
				[]string{"Укажите номер телефона"}},
		}
		for _, tt := range tests {
			tt.form.Set("received_on", today.String())
			tt.form.Set("registered_on", today.String())
			r := op.PostForm("/admin/appeals", tt.form)
			if r.Status != tt.status {
				t.Fatalf("%s: %d %s", tt.name, r.Status, r.Body)
			}
			body := r.Body
			if tt.status == 303 {
				body = op.Get(r.Header.Get("Location")).Body
			}
			for _, want := range tt.prompts {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", tt.name, want)
				}
			}
		}
	})
}

// TestHistoryNamesTheRegistrar: an electronic appeal is registered by the
// portal, a paper one by the staff member; never by the citizen.
func TestHistoryNamesTheRegistrar(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		citizen := Actor{AccountID: 0, Display: "Пётр Жителев"}
		staff := Actor{AccountID: 0, Display: "Оператор Иванова", Staff: true}
		tests := []struct {
			name       string
			actor      Actor
			electronic bool
			want       string
		}{
			{"electronic", citizen, true, SystemRegistrar},
			{"paper by staff", staff, false, "Оператор Иванова"},
		}
		for i, tt := range tests {
			in := paper(a, env, "Историев"+string(rune('А'+i)), a.Today(m))
			if tt.electronic {
				in.Channel, in.Consent = "electronic", true
			}
			ap, err := a.Register(ctx, m, in, tt.actor, tt.electronic)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			hist, err := a.store.History(ctx, ap.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, e := range hist {
				if e.Action == string(ActRegister) {
					got = e.Actor
				}
			}
			if got != tt.want {
				t.Errorf("%s: registered by %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}
