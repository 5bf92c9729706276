package training

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// DemoCourseTitle is the demo's course.
const DemoCourseTitle = "Кодекс этики и служебного поведения муниципального служащего"

const demoMaterial = `# Зачем нужен кодекс этики

Кодекс этики и служебного поведения — свод правил, которым следует каждый муниципальный служащий администрации. Он утверждён постановлением администрации и основан на законах о муниципальной службе и о противодействии коррупции.

Кодекс помогает:

- поступать одинаково честно в похожих ситуациях;
- избегать конфликта интересов;
- сохранять доверие жителей к администрации.

# Основные принципы

Служащий исполняет обязанности **добросовестно и беспристрастно**, уважает права и свободы граждан, не оказывает предпочтения никаким организациям и лицам.

1. Законность и открытость.
2. Вежливость и корректность в общении с гражданами и коллегами.
3. Политическая нейтральность при исполнении обязанностей.

# Конфликт интересов и подарки

Если личная заинтересованность может повлиять на исполнение обязанностей, служащий **письменно уведомляет** представителя нанимателя, как только узнал об этом.

Подарки в связи с должностным положением принимать нельзя. Подарки, полученные на протокольных мероприятиях, стоимостью свыше 3000 рублей сдаются по акту.

# Обращения граждан и информация

Ответ жителю — в срок, понятным языком, по существу вопроса. Служащий не разглашает персональные данные и сведения, ставшие известными по службе, и не использует их в личных целях.
`

const demoQuiz = `? Что делает служащий, когда узнал о возможном конфликте интересов?
- Ничего, если уверен, что справится беспристрастно
+ Письменно уведомляет представителя нанимателя
- Сообщает коллегам устно

? Можно ли оставить себе подарок стоимостью 5000 рублей, полученный на протокольном мероприятии?
- Да, если это подарок к празднику
+ Нет, подарок свыше 3000 рублей сдаётся по акту
- Да, если о нём знает руководитель

? Как служащий отвечает на обращение жителя?
- Кратко, ссылками на нормы права без пояснений
+ В срок, понятным языком и по существу
- Когда появится время

? Может ли служащий агитировать за кандидата на приёме граждан?
- Да, если кандидат поддерживает администрацию
+ Нет, служащий сохраняет политическую нейтральность

? Что делать со сведениями о жителях, которые стали известны по службе?
+ Не разглашать и не использовать в личных целях
- Обсуждать только с родственниками
- Публиковать, если это интересно другим жителям
`

// Demo loads the ethics course with its material and quiz, and the
// attempts of the demo staff: three completed, one failed once, the rest
// not started. Run twice, it changes nothing.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	cs, err := a.Store.Courses(ctx, a.DB, m.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Title == DemoCourseTitle {
			return nil
		}
	}
	c := Course{MunicipalityID: m.ID, Title: DemoCourseTitle,
		Description: "Обучающий курс для освоения кодекса этики муниципальными служащими (мера 8.2 дорожной карты): четыре страницы материала и итоговый тест.",
		CodeTitle:   "Постановление администрации от 11.02.2019 № 98 «Об утверждении Кодекса этики и служебного поведения муниципальных служащих»",
		CodeURL:     "/search?q=%D0%9A%D0%BE%D0%B4%D0%B5%D0%BA%D1%81+%D1%8D%D1%82%D0%B8%D0%BA%D0%B8",
		Material:    demoMaterial, Quiz: demoQuiz, PassMark: 80, MaxAttempts: 3}
	if e := Validate(c); len(e) > 0 {
		return fmt.Errorf("demo course: %v", e)
	}
	right := []int{1, 1, 1, 1, 0}
	wrong := []int{0, 0, 1, 1, 0}
	plan := []struct {
		email   string
		answers [][]int
	}{
		{"admin@vpyshma.demo", [][]int{right}},
		{"lawyer@vpyshma.demo", [][]int{wrong, right}},
		{"editor@vpyshma.demo", [][]int{{1, 1, 1, 0, 0}}}, // 80%: passes
		{"operator@vpyshma.demo", [][]int{wrong}},
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := a.SaveCourse(ctx, tx, nil, &c, audit.Entry{MunicipalityID: m.ID, Actor: "демонстрационные данные"}); err != nil {
			return err
		}
		for _, p := range plan {
			acc, err := a.People.ByEmail(ctx, m.ID, p.email)
			if err != nil {
				continue // the demo accounts are optional
			}
			for _, ans := range p.answers {
				if _, _, err := a.Attempt(ctx, tx, m.ID, c, auth.Recipient{ID: acc.ID, Email: acc.Email, Name: acc.FullName}, ans); err != nil {
					return fmt.Errorf("demo attempt of %s: %w", p.email, err)
				}
			}
		}
		return nil
	})
}
