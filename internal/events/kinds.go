package events

// Kind names a kind of public event. Every kind an area writes is declared
// here, once, with the words a person reads in the roadmap's rule editor;
// an area lists the kinds it writes in its portal contribution, and a test
// checks that every kind the roadmap's rules count is written by some area.
type Kind string

// The official site (mechanism 1).
const (
	PagePublished Kind = "page.published"
	NewsPublished Kind = "news.published"
)

// Legal acts and explanations (mechanisms 3 and 8.3).
const (
	ActPublished            Kind = "act.published"
	ExplanationPublished    Kind = "explanation.published"
	PracticeReviewPublished Kind = "practice_review.published"
)

// Consultations, the declaration of goals and anti-corruption expertise
// (mechanisms 4, 7 and 8.1).
const (
	ConsultationOpened           Kind = "consultation.opened"
	ConsultationStageChanged     Kind = "consultation.stage_changed"
	ConsultationAnswered         Kind = "consultation.answered"
	ConsultationResultsPublished Kind = "consultation.results_published"
	DeclarationPublished         Kind = "declaration.published"
	ExpertiseOpened              Kind = "expertise.opened"
	ExpertiseConclusionPublished Kind = "expertise.conclusion_published"
)

// Citizens' appeals (mechanism 9).
const (
	AppealsReportPublished Kind = "appeals_report.published"
	// HotlineCallLogged is a call to the reference line recorded by an
	// operator; the event carries no personal data, only the fact.
	HotlineCallLogged Kind = "appeals.hotline_call_logged"
)

// The public council (mechanism 5).
const (
	CouncilRegulationsApproved Kind = "council.regulations_approved"
	CouncilCompositionApproved Kind = "council.composition_approved"
	CouncilSectionPublished    Kind = "council.section_published"
	CouncilPlanApproved        Kind = "council.plan_approved"
	CouncilMethodologyApproved Kind = "council.methodology_approved"
	CouncilEvaluationPublished Kind = "council.evaluation_published"
	CouncilOpenMeetingHeld     Kind = "council.open_meeting_held"
)

// Reference groups (mechanism 6).
const (
	GroupsRegistryPublished   Kind = "groups.registry_published"
	GroupsRegulationsApproved Kind = "groups.regulations_approved"
	GroupsInformed            Kind = "groups.informed"
)

// Mass media and social networks (mechanism 10).
const (
	MediaPlanApproved    Kind = "media.plan_approved"
	MediaWeekControlled  Kind = "media.week_controlled"
	MediaDigestPublished Kind = "media.digest_published"
	MediaRequestAnswered Kind = "media.request_answered"
)

// Open data, polls and ethics training (mechanisms 2.1, 2.2 and 8.2).
const (
	DatasetPublished        Kind = "opendata.dataset_published"
	DatasetVersionPublished Kind = "opendata.version_published"
	SurveyPublished         Kind = "polls.survey_published"
	SurveyResultsPublished  Kind = "polls.results_published"
	TrainingCourseCompleted Kind = "training.course_completed"
)

// KindInfo is a kind with its Russian description.
type KindInfo struct {
	Kind  Kind
	Label string
}

// Kinds are every declared kind, in the order of the roadmap's mechanisms.
var Kinds = []KindInfo{
	{PagePublished, "опубликована страница или раздел сайта"},
	{NewsPublished, "опубликована новость"},
	{DatasetPublished, "опубликован набор открытых данных"},
	{DatasetVersionPublished, "опубликована новая версия набора открытых данных"},
	{SurveyPublished, "опубликован опрос"},
	{SurveyResultsPublished, "опубликованы результаты опроса"},
	{ActPublished, "опубликован правовой акт"},
	{ExplanationPublished, "опубликовано пояснение к акту"},
	{ConsultationOpened, "открыто общественное обсуждение"},
	{ConsultationStageChanged, "обсуждение перешло на следующий этап"},
	{ConsultationAnswered, "разработчик ответил на предложения участников обсуждения"},
	{ConsultationResultsPublished, "опубликованы итоги обсуждения"},
	{CouncilRegulationsApproved, "утверждено положение об общественном совете"},
	{CouncilCompositionApproved, "утверждён состав общественного совета"},
	{CouncilSectionPublished, "опубликован раздел общественного совета"},
	{CouncilPlanApproved, "утверждён план работы общественного совета"},
	{CouncilMethodologyApproved, "утверждена методика оценки деятельности администрации"},
	{CouncilEvaluationPublished, "опубликованы результаты оценки деятельности администрации"},
	{CouncilOpenMeetingHeld, "проведено открытое заседание общественного совета"},
	{GroupsRegistryPublished, "опубликован перечень референтных групп"},
	{GroupsRegulationsApproved, "утверждён регламент работы референтных групп"},
	{GroupsInformed, "референтные группы извещены об обсуждении в их сфере"},
	{DeclarationPublished, "опубликована декларация целей"},
	{ExpertiseOpened, "проект открыт для антикоррупционной экспертизы"},
	{ExpertiseConclusionPublished, "опубликовано заключение эксперта"},
	{TrainingCourseCompleted, "сотрудник прошёл обучение по кодексу этики"},
	{PracticeReviewPublished, "опубликован обзор правоприменительной практики"},
	{HotlineCallLogged, "принят звонок на справочную телефонную линию"},
	{AppealsReportPublished, "опубликован отчёт по обращениям граждан"},
	{MediaPlanApproved, "утверждён медиаплан"},
	{MediaWeekControlled, "проведён еженедельный контроль исполнения медиаплана"},
	{MediaDigestPublished, "опубликован обзор мониторинга СМИ и социальных сетей"},
	{MediaRequestAnswered, "дан ответ на запрос СМИ"},
}

// Known reports whether k is a declared kind.
func Known(k Kind) bool {
	for _, i := range Kinds {
		if i.Kind == k {
			return true
		}
	}
	return false
}

// Label is the Russian description of a kind, or the kind itself.
func Label(k Kind) string {
	for _, i := range Kinds {
		if i.Kind == k {
			return i.Label
		}
	}
	return string(k)
}
