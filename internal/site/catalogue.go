package site

import (
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
)

// Update rules of catalogue items: how often the owner must bring the
// published information up to date.
const (
	RuleCurrent     = "current"      // «поддерживается в актуальном состоянии»
	RuleWorkingDays = "working_days" // «в течение N рабочих дней после изменения»
	RuleMonthly     = "monthly"
	RuleQuarterly   = "quarterly"
	RuleYearly      = "yearly"
)

// CurrentGraceDays is how many working days «поддерживается в актуальном
// состоянии» allows after a recorded change. Federal Law 8-FZ names no term
// for it; five working days is the shortest term the law's own periodic
// items use, and an item that needs another term takes the working-days
// rule instead.
const CurrentGraceDays = 5

// Rules lists the update rules for forms, in display order.
var Rules = []struct{ Value, Label string }{
	{RuleCurrent, "Поддерживается в актуальном состоянии"},
	{RuleWorkingDays, "В течение N рабочих дней после изменения"},
	{RuleMonthly, "Ежемесячно"},
	{RuleQuarterly, "Ежеквартально"},
	{RuleYearly, "Ежегодно"},
}

// ValidRule reports whether r names an update rule.
func ValidRule(r string) bool {
	for _, x := range Rules {
		if x.Value == r {
			return true
		}
	}
	return false
}

// RuleText words an item's rule as the catalogue shows it.
func RuleText(rule string, days int) string {
	switch rule {
	case RuleCurrent:
		return "поддерживается в актуальном состоянии"
	case RuleWorkingDays:
		return fmt.Sprintf("в течение %d %s после изменения", days, pluralDays(days))
	case RuleMonthly:
		return "ежемесячно"
	case RuleQuarterly:
		return "ежеквартально"
	case RuleYearly:
		return "ежегодно"
	}
	return rule
}

func pluralDays(n int) string {
	switch {
	case n%10 == 1 && n%100 != 11:
		return "рабочего дня"
	default:
		return "рабочих дней"
	}
}

// Category is a group of article 13 part 1 of 8-FZ.
type Category struct {
	Slug  string
	Title string
}

// Categories are the points of article 13 part 1, in the law's order.
var Categories = []Category{
	{"general", "Общая информация об органе местного самоуправления"},
	{"rulemaking", "Информация о нормотворческой деятельности"},
	{"programmes", "Участие в целевых и иных программах, мероприятия"},
	{"emergencies", "Защита населения и территорий от чрезвычайных ситуаций"},
	{"inspections", "Результаты проверок"},
	{"speeches", "Официальные выступления и заявления"},
	{"statistics", "Статистическая информация о деятельности"},
	{"staffing", "Кадровое обеспечение"},
	{"appeals", "Работа с обращениями граждан и организаций"},
	{"other", "Иная информация о деятельности"},
}

// CategoryTitle names a category.
func CategoryTitle(slug string) string {
	for _, c := range Categories {
		if c.Slug == slug {
			return c.Title
		}
	}
	return slug
}

// CatalogueItem is one item of the information catalogue.
type CatalogueItem struct {
	ID             int64
	MunicipalityID int64
	Code           string // the point of the law, «1а», «7б»
	Category       string
	Position       int
	Title          string
	DepartmentID   int64
	Department     string
	Rule           string
	RuleDays       int
	UpdatedOn      deadline.Date // last time the site was brought up to date
	ChangedOn      deadline.Date // last recorded change of the information itself
	Links          []CatalogueLink
	// OpenData is the code of the open dataset publishing the item's
	// information ('' when none); Dataset is that dataset, filled for pages.
	OpenData string
	Dataset  *OpenDataset
	Status   ItemStatus
}

// CatalogueLink is a page or document that fulfils an item.
type CatalogueLink struct {
	ID     int64
	PageID int64
	Title  string
	URL    string
}

// ItemStatus is the monitor's verdict on an item.
type ItemStatus struct {
	Overdue bool
	Due     deadline.Date // zero when nothing is due
	Reason  string
}

// Status decides whether an item is overdue on today, counting working days
// on cal. Every rule is overdue when the item was never brought up to date.
// The periodic rules are due one period after the last update, moved to the
// next working day when that is a day off; the change-driven rules are due
// N working days after a change recorded later than the last update.
func Status(rule string, days int, updatedOn, changedOn, today deadline.Date, cal deadline.Calendar) ItemStatus {
	if updatedOn.IsZero() {
		return ItemStatus{Overdue: true, Reason: "Сведения ещё не размещались"}
	}
	var due deadline.Date
	switch rule {
	case RuleMonthly, RuleQuarterly, RuleYearly:
		months := map[string]int{RuleMonthly: 1, RuleQuarterly: 3, RuleYearly: 12}[rule]
		due = cal.WorkingDayOnOrAfter(addMonths(updatedOn, months))
	case RuleCurrent, RuleWorkingDays:
		if changedOn.IsZero() || !changedOn.After(updatedOn) {
			return ItemStatus{}
		}
		n := days
		if rule == RuleCurrent {
			n = CurrentGraceDays
		}
		due = cal.AddWorkingDays(changedOn, n)
	default:
		return ItemStatus{}
	}
	st := ItemStatus{Due: due}
	if today.After(due) {
		st.Overdue = true
		st.Reason = "Срок обновления истёк " + formatDate(due)
	}
	return st
}

// addMonths adds calendar months, clamping to the end of a shorter month
// (31 January + 1 month is 28 or 29 February, not 3 March).
func addMonths(d deadline.Date, n int) deadline.Date {
	first := deadline.NewDate(d.Year, d.Month+time.Month(n), 1)
	last := deadline.NewDate(first.Year, first.Month+1, 0).Day
	day := d.Day
	if day > last {
		day = last
	}
	return deadline.NewDate(first.Year, first.Month, day)
}

func formatDate(d deadline.Date) string {
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// LawItem is an item of article 13 part 1 of 8-FZ as the law words it, with
// the rule and owner the demo assigns.
type LawItem struct {
	Code, Category, Title string
	Rule                  string
	Days                  int
	Department            string // department slug in the demo
}

// Article13 is the full list of article 13 part 1 of Federal Law No. 8-FZ of
// 09.02.2009 «Об обеспечении доступа к информации о деятельности
// государственных органов и органов местного самоуправления», worded as in
// the law.
var Article13 = []LawItem{
	{"1а", "general", "Наименование и структура органа местного самоуправления, почтовый адрес, адрес электронной почты (при наличии), номера телефонов справочных служб органа местного самоуправления", RuleWorkingDays, 5, "affairs"},
	{"1б", "general", "Сведения о полномочиях органа местного самоуправления, задачах и функциях структурных подразделений указанных органов, а также перечень законов и иных нормативных правовых актов, определяющих эти полномочия, задачи и функции", RuleWorkingDays, 5, "legal"},
	{"1в", "general", "Перечень подведомственных организаций (при наличии), сведения об их задачах и функциях, а также почтовые адреса, адреса электронной почты (при наличии), номера телефонов справочных служб подведомственных организаций, информация об официальных сайтах и официальных страницах подведомственных организаций (при наличии)", RuleWorkingDays, 5, "affairs"},
	{"1г", "general", "Сведения о руководителях органа местного самоуправления, его структурных подразделений, руководителях подведомственных организаций (фамилии, имена, отчества, а также при согласии указанных лиц иные сведения о них)", RuleWorkingDays, 3, "affairs"},
	{"1д", "general", "Перечни информационных систем, банков данных, реестров, регистров, находящихся в ведении органа местного самоуправления, подведомственных организаций", RuleYearly, 0, "economy"},
	{"1е", "general", "Сведения о средствах массовой информации, учрежденных органом местного самоуправления (при наличии)", RuleCurrent, 0, "press"},
	{"1ж", "general", "Информация об официальных страницах органа местного самоуправления (при наличии) с указателями данных страниц в сети «Интернет»", RuleCurrent, 0, "press"},
	{"1з", "general", "Информация о проводимых органом местного самоуправления или подведомственными организациями опросах и иных мероприятиях, связанных с выявлением мнения граждан (физических лиц), материалы по вопросам, которые выносятся органом местного самоуправления на публичное слушание и (или) общественное обсуждение, и результаты публичных слушаний или общественных обсуждений, а также информация о способах направления гражданами (физическими лицами) своих предложений в электронной форме", RuleWorkingDays, 5, "deputy-general"},
	{"2а", "rulemaking", "Муниципальные правовые акты, изданные органом местного самоуправления, включая сведения о внесении в них изменений, признании их утратившими силу, признании их судом недействующими, а также сведения о государственной регистрации муниципальных правовых актов в случаях, установленных федеральным законом", RuleWorkingDays, 5, "legal"},
	{"2б", "rulemaking", "Тексты проектов муниципальных правовых актов, внесенных в представительные органы муниципальных образований", RuleWorkingDays, 5, "legal"},
	{"2в", "rulemaking", "Информация о закупках товаров, работ, услуг для обеспечения муниципальных нужд в соответствии с законодательством Российской Федерации о контрактной системе в сфере закупок товаров, работ, услуг для обеспечения государственных и муниципальных нужд", RuleCurrent, 0, "economy"},
	{"2г", "rulemaking", "Административные регламенты, стандарты муниципальных услуг", RuleWorkingDays, 5, "legal"},
	{"2д", "rulemaking", "Установленные формы обращений, заявлений и иных документов, принимаемых органом местного самоуправления к рассмотрению в соответствии с законами и иными нормативными правовыми актами, муниципальными правовыми актами", RuleWorkingDays, 5, "appeals"},
	{"2е", "rulemaking", "Порядок обжалования муниципальных правовых актов", RuleCurrent, 0, "legal"},
	{"3", "programmes", "Информация об участии органа местного самоуправления в целевых и иных программах, международном сотрудничестве, включая официальные тексты соответствующих международных договоров Российской Федерации, а также о мероприятиях, проводимых органом местного самоуправления, в том числе сведения об официальных визитах и о рабочих поездках руководителей и официальных делегаций органа местного самоуправления", RuleMonthly, 0, "economy"},
	{"4", "emergencies", "Информация о состоянии защиты населения и территорий от чрезвычайных ситуаций и принятых мерах по обеспечению их безопасности, о прогнозируемых и возникших чрезвычайных ситуациях, о приемах и способах защиты населения от них, а также иная информация, подлежащая доведению органом местного самоуправления до сведения граждан и организаций в соответствии с федеральными законами, законами субъектов Российской Федерации", RuleCurrent, 0, "deputy-general"},
	{"5", "inspections", "Информация о результатах проверок, проведенных органом местного самоуправления, подведомственными организациями в пределах их полномочий, а также о результатах проверок, проведенных в органе местного самоуправления, подведомственных организациях", RuleQuarterly, 0, "economy"},
	{"6", "speeches", "Тексты официальных выступлений и заявлений руководителей и заместителей руководителей органа местного самоуправления", RuleWorkingDays, 3, "press"},
	{"7а", "statistics", "Статистические данные и показатели, характеризующие состояние и динамику развития экономической, социальной и иных сфер жизнедеятельности, регулирование которых отнесено к полномочиям органа местного самоуправления", RuleQuarterly, 0, "economy"},
	{"7б", "statistics", "Сведения об использовании органом местного самоуправления, подведомственными организациями выделяемых бюджетных средств", RuleQuarterly, 0, "finance"},
	{"7в", "statistics", "Сведения о предоставленных организациям и индивидуальным предпринимателям льготах, отсрочках, рассрочках, о списании задолженности по платежам в бюджеты бюджетной системы Российской Федерации", RuleYearly, 0, "finance"},
	{"8а", "staffing", "Порядок поступления граждан на муниципальную службу", RuleCurrent, 0, "affairs"},
	{"8б", "staffing", "Сведения о вакантных должностях муниципальной службы, имеющихся в органе местного самоуправления", RuleWorkingDays, 3, "affairs"},
	{"8в", "staffing", "Квалификационные требования к кандидатам на замещение вакантных должностей муниципальной службы", RuleCurrent, 0, "affairs"},
	{"8г", "staffing", "Условия и результаты конкурсов на замещение вакантных должностей муниципальной службы", RuleWorkingDays, 3, "affairs"},
	{"8д", "staffing", "Номера телефонов, по которым можно получить информацию по вопросу замещения вакантных должностей в органе местного самоуправления", RuleCurrent, 0, "affairs"},
	{"8е", "staffing", "Перечень образовательных учреждений, подведомственных органу местного самоуправления (при наличии), с указанием почтовых адресов образовательных учреждений, а также номеров телефонов, по которым можно получить информацию справочного характера об этих образовательных учреждениях", RuleYearly, 0, "education"},
	{"9а", "appeals", "Порядок и время приема граждан (физических лиц), в том числе представителей организаций (юридических лиц), общественных объединений, государственных органов, органов местного самоуправления, порядок рассмотрения их обращений с указанием актов, регулирующих эту деятельность", RuleCurrent, 0, "appeals"},
	{"9б", "appeals", "Фамилия, имя и отчество руководителя подразделения или иного должностного лица, к полномочиям которых отнесены организация приема граждан, обеспечение рассмотрения их обращений, а также номер телефона, по которому можно получить информацию справочного характера", RuleWorkingDays, 3, "appeals"},
	{"9в", "appeals", "Обзоры обращений граждан, организаций, общественных объединений, государственных органов, органов местного самоуправления, а также обобщенная информация о результатах рассмотрения этих обращений и принятых мерах", RuleQuarterly, 0, "appeals"},
	{"10", "other", "Иная информация о деятельности органа местного самоуправления с учетом требований Федерального закона от 09.02.2009 № 8-ФЗ", RuleCurrent, 0, "affairs"},
}
