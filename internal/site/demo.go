package site

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

type demoSection struct {
	Path, Title, Description, Dept string
	InMenu                         bool
}

// The first section, page and news item belong to «Управление делами», the
// department of the demo editor, so that the demo shows an editor's own
// material at the lowest ids.
var demoSections = []demoSection{
	{"administration", "Администрация", "Структура, руководство, полномочия и контакты администрации городского округа.", "affairs", true},
	{"administration/civil-service", "Муниципальная служба", "Порядок поступления на службу, вакансии и конкурсы.", "affairs", false},
	{"rule-making", "Нормотворческая деятельность", "Порядок обжалования актов, административные регламенты и стандарты услуг.", "legal", false},
	{"appeals-info", "Обращения граждан", "Как обратиться в администрацию, приём граждан, обзоры обращений.", "appeals", true},
	{"economy", "Экономика", "Показатели развития, муниципальные программы, закупки и проверки.", "economy", true},
	{"housing", "Жилищно-коммунальное хозяйство", "Отопительный сезон, управляющие организации, ремонт.", "housing", false},
	{"education", "Образование", "Школы, детские сады и учреждения дополнительного образования.", "education", false},
	{"safety", "Безопасность и ЧС", "Защита населения и территорий от чрезвычайных ситуаций.", "deputy-general", true},
	{"budget", "Бюджет", "Исполнение бюджета, налоговые льготы и отсрочки.", "finance", false},
	{"press", "Пресс-центр", "Выступления и заявления главы и заместителей, СМИ и официальные страницы.", "press", true},
	{"participation", "Опросы и обсуждения", "Как высказать мнение о работе администрации и проектах решений.", "deputy-general", false},
}

type demoPage struct {
	Section, Slug, Title, Summary, Body string
}

var demoPages = []demoPage{
	{"administration", "structure", "Структура администрации", "Наименование, структура, почтовый адрес, электронная почта и справочные телефоны.", `## Наименование

Администрация городского округа Верхняя Пышма — исполнительно-распорядительный орган местного самоуправления.

## Почтовый адрес и контакты

- Адрес: 624090, Свердловская область, г. Верхняя Пышма, ул. Красноармейская, д. 13
- Электронная почта: adm@movp.ru
- Приёмная главы: +7 (34368) 5-38-25
- Справочная служба: +7 (34368) 5-38-00

## Структурные подразделения

| Подразделение | Телефон |
|---|---|
| Управление делами | 5-38-10 |
| Юридический отдел | 5-38-31 |
| Комитет экономики и муниципального заказа | 5-38-44 |
| Финансовое управление | 5-38-52 |
| Управление образования | 5-38-60 |
| Управление ЖКХ | 5-38-70 |
| Управление архитектуры и градостроительства | 5-38-75 |
| Отдел по работе с обращениями граждан | 5-38-90 |
`},
	{"administration", "leadership", "Руководство", "Глава городского округа и заместители главы администрации.", `## Глава городского округа

**Иванов Иван Иванович** — глава городского округа Верхняя Пышма. Приём граждан — первый понедельник месяца с 14:00 до 17:00, каб. 105.

## Заместители главы администрации

- **Петрова Анна Сергеевна** — заместитель главы администрации по общим вопросам;
- **Сидоров Павел Николаевич** — заместитель главы администрации по экономике;
- **Кузнецов Олег Владимирович** — заместитель главы администрации по ЖКХ и строительству.
`},
	{"administration", "powers", "Полномочия и функции", "Полномочия администрации, задачи подразделений и акты, которые их определяют.", `Полномочия администрации определены Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации» и Уставом городского округа Верхняя Пышма.

Задачи и функции структурных подразделений установлены положениями о них, утверждёнными постановлениями администрации.

См. также [реестр муниципальных правовых актов](/acts).
`},
	{"administration", "subordinate", "Подведомственные организации", "Муниципальные учреждения и предприятия, их задачи, адреса и сайты.", `| Организация | Задачи | Адрес | Телефон |
|---|---|---|---|
| МКУ «Единая дежурно-диспетчерская служба» | Приём сообщений о происшествиях, координация служб | ул. Кривоусова, 11 | 112, 5-47-00 |
| МБУ «Благоустройство» | Содержание дорог, парков и скверов | ул. Менделеева, 5 | 5-36-11 |
| МКУ «Управление капитального строительства» | Строительство и ремонт муниципальных объектов | ул. Ленина, 48 | 5-39-20 |
`},
	{"administration/civil-service", "admission", "Порядок поступления на муниципальную службу", "Кто может поступить на службу и какие документы нужны.", `На муниципальную службу вправе поступать граждане, достигшие 18 лет, владеющие государственным языком Российской Федерации и соответствующие квалификационным требованиям (Федеральный закон от 02.03.2007 № 25-ФЗ).

## Документы

1. Заявление с просьбой о поступлении на службу.
2. Анкета по форме, утверждённой Правительством Российской Федерации.
3. Паспорт, трудовая книжка, документ об образовании.
4. Заключение медицинской организации об отсутствии заболевания, препятствующего поступлению на службу.

Справки по вопросам замещения вакантных должностей: +7 (34368) 5-38-15.
`},
	{"administration/civil-service", "vacancies", "Вакантные должности", "Вакантные должности муниципальной службы и условия конкурсов.", `## Вакантные должности

| Должность | Подразделение | Приём документов до |
|---|---|---|
| Ведущий специалист | Комитет экономики и муниципального заказа | 10.12.2026 |
| Специалист 1 категории | Управление ЖКХ | 15.12.2026 |

Квалификационные требования: высшее образование; для ведущего специалиста — стаж работы по специальности не менее одного года.

Конкурс проводится в два этапа: приём документов и собеседование. Результаты публикуются на этой странице в течение трёх рабочих дней после решения комиссии.
`},
	{"rule-making", "appeal-procedure", "Порядок обжалования муниципальных правовых актов", "Как оспорить муниципальный правовой акт.", `Муниципальные правовые акты могут быть обжалованы в судебном порядке в соответствии с Кодексом административного судопроизводства Российской Федерации, а также отменены или приостановлены органами и должностными лицами, принявшими их.

Заявление об оспаривании нормативного правового акта подаётся в Верхнепышминский городской суд.
`},
	{"rule-making", "regulations", "Административные регламенты и стандарты услуг", "Регламенты предоставления муниципальных услуг.", `Административные регламенты утверждаются постановлениями администрации и публикуются в [реестре правовых актов](/acts).

- Выдача разрешений на строительство;
- Предоставление информации об очерёдности на жильё;
- Приём заявлений в детские сады.
`},
	{"appeals-info", "reception", "Порядок и время приёма граждан", "Когда и где принимают граждан и представителей организаций.", `## Личный приём

Глава городского округа — первый понедельник месяца, 14:00–17:00, каб. 105. Запись по телефону +7 (34368) 5-38-25.

## Письменные обращения

Обращение можно направить почтой, принести в приёмную или [подать на портале](/appeals). Обращение рассматривается в течение 30 дней со дня регистрации (Федеральный закон от 02.05.2006 № 59-ФЗ).

Ответственный за организацию приёма: **Смирнова Елена Викторовна**, начальник отдела по работе с обращениями граждан, +7 (34368) 5-38-90.
`},
	{"appeals-info", "forms", "Формы обращений и заявлений", "Установленные формы обращений, заявлений и иных документов.", `- Форма письменного обращения гражданина;
- Форма заявления о предоставлении информации о деятельности администрации;
- Форма заявления на личный приём.

Формы можно получить в приёмной или заполнить на портале.
`},
	{"appeals-info", "reviews", "Обзоры обращений граждан", "Ежеквартальные обзоры обращений и результаты их рассмотрения.", `## III квартал 2026 года

Поступило 412 обращений (II квартал — 389). Больше всего вопросов о жилищно-коммунальном хозяйстве (38 %), благоустройстве (21 %) и транспорте (12 %).

Рассмотрено в срок 98,5 % обращений. По 27 обращениям приняты меры: отремонтированы дворовые проезды, изменено расписание автобусного маршрута № 101.
`},
	{"economy", "statistics", "Основные показатели социально-экономического развития", "Статистические данные о развитии городского округа.", `| Показатель | 2025 | 9 месяцев 2026 |
|---|---|---|
| Численность населения, тыс. человек | 78,4 | 78,9 |
| Среднемесячная заработная плата, руб. | 78 250 | 84 100 |
| Уровень регистрируемой безработицы, % | 0,4 | 0,3 |
| Ввод жилья, тыс. кв. м | 96,2 | 71,5 |
`},
	{"economy", "programmes", "Муниципальные программы", "Участие администрации в целевых программах и мероприятия.", `- «Развитие системы образования до 2030 года»;
- «Формирование современной городской среды»;
- «Поддержка малого и среднего предпринимательства»;
- «Развитие культуры и спорта».

Отчёты о ходе реализации публикуются ежемесячно.
`},
	{"economy", "procurement", "Муниципальные закупки", "Сведения о закупках для муниципальных нужд.", `Закупки проводятся в соответствии с Федеральным законом от 05.04.2013 № 44-ФЗ. Извещения, планы-графики и отчёты размещаются в [Единой информационной системе в сфере закупок](https://zakupki.gov.ru).
`},
	{"economy", "inspections", "Результаты проверок", "Проверки, проведённые администрацией и в администрации.", `## III квартал 2026 года

- Плановая проверка соблюдения земельного законодательства: 14 проверок, выявлено 3 нарушения, выданы предписания.
- Проверка Счётной палатой использования средств на ремонт дорог: нарушений не выявлено.
`},
	{"economy", "info-systems", "Информационные системы и реестры", "Перечень информационных систем, банков данных и реестров.", `- Реестр муниципального имущества;
- Реестр муниципальных услуг;
- Реестр субъектов малого предпринимательства — получателей поддержки;
- Информационная система обеспечения градостроительной деятельности.
`},
	{"housing", "heating", "Отопительный сезон 2026–2027", "Сроки, телефоны аварийных служб, порядок подачи жалоб.", `Отопительный сезон начался 18 сентября 2026 года.

## Аварийные службы

- ЕДДС: 112 или +7 (34368) 5-47-00, круглосуточно;
- Теплоснабжающая организация: +7 (34368) 5-35-35.
`},
	{"education", "schools", "Образовательные организации", "Перечень подведомственных образовательных учреждений с адресами и телефонами.", `| Учреждение | Адрес | Телефон |
|---|---|---|
| МАОУ «СОШ № 1» | ул. Красноармейская, 9 | 5-37-01 |
| МАОУ «СОШ № 2» | ул. Ленина, 66 | 5-37-02 |
| МАОУ «Гимназия № 25» | ул. Калинина, 33 | 5-37-25 |
| МАДОУ «Детский сад № 1» | ул. Юбилейная, 15 | 5-37-41 |
`},
	{"safety", "emergencies", "Защита населения от чрезвычайных ситуаций", "Состояние защиты, прогнозы и способы защиты населения.", `## Прогноз на ноябрь 2026 года

Возможны гололёд и сильный ветер. При штормовом предупреждении не оставляйте автомобили под деревьями и рекламными конструкциями.

## Куда звонить

Единый номер вызова экстренных служб — **112**.
`},
	{"budget", "execution", "Исполнение бюджета", "Сведения об использовании бюджетных средств.", `## Исполнение бюджета за 9 месяцев 2026 года

| | План, млн руб. | Исполнено, млн руб. | % |
|---|---|---|---|
| Доходы | 6 420,0 | 4 870,3 | 75,9 |
| Расходы | 6 780,5 | 4 912,8 | 72,5 |
`},
	{"budget", "benefits", "Налоговые льготы и отсрочки", "Предоставленные льготы, отсрочки, рассрочки и списание задолженности.", `В 2025 году льготы по земельному налогу предоставлены 312 организациям и индивидуальным предпринимателям на сумму 18,4 млн руб. Отсрочки и рассрочки не предоставлялись.
`},
	{"press", "speeches", "Выступления и заявления", "Тексты официальных выступлений и заявлений главы и заместителей.", `## Обращение главы городского округа к жителям, 1 ноября 2026 года

Уважаемые жители! Администрация открывает свою работу: на этом сайте вы можете оценить каждую страницу, предложить, что добавить, и следить за тем, как выполняются наши планы.
`},
	{"press", "media", "СМИ и официальные страницы", "Учреждённые администрацией СМИ и официальные страницы в социальных сетях.", `- Газета «Красное знамя» — учредитель администрация городского округа;
- Официальная страница администрации во «ВКонтакте»: [vk.com/movp](https://vk.com/movp);
- Официальный канал в Telegram: [t.me/movp_official](https://t.me/movp_official).
`},
	{"participation", "how-to-participate", "Как высказать мнение", "Опросы, публичные слушания и общественные обсуждения; как направить предложение.", `- Оцените любую страницу сайта — форма «Полезна ли информация?» внизу страницы;
- Участвуйте в [общественных обсуждениях](/consultations) проектов решений;
- Направьте предложение в электронной форме через [раздел обращений](/appeals).
`},
}

type demoNews struct {
	Title, Summary, Body, Dept, Section string
	Spheres                             []string
	Date                                string // YYYY-MM-DD HH:MM local; published then
	Scheduled                           bool
	Draft                               bool
}

var demoNewsItems = []demoNews{
	{"Утверждён порядок обеспечения доступа к информации о деятельности администрации", "Распоряжение определяет, кто и в какие сроки размещает сведения на официальном сайте.", "Администрация городского округа Верхняя Пышма утвердила распоряжение «Об обеспечении доступа к информации о деятельности администрации». Для каждого пункта перечня информации по статье 13 Федерального закона № 8-ФЗ назначено ответственное подразделение и установлен срок обновления.\n\nПеречень с ответственными опубликован в разделе [«Информация о деятельности»](/catalogue).", "affairs", "administration", nil, "2026-09-01 10:00", false, false},
	{"В Верхней Пышме начался отопительный сезон", "Тепло подано в 97 % жилых домов, остальные подключат до конца недели.", "С 18 сентября теплоснабжающие организации начали подачу тепла в жилые дома. В первую очередь тепло получили школы, детские сады и больницы.\n\nЕсли в квартире холодно, звоните в ЕДДС по номеру 112.", "housing", "housing", []string{"housing"}, "2026-09-18 09:30", false, false},
	{"В школах округа открылись 12 новых кружков технического творчества", "Робототехника, 3D-моделирование и программирование — бесплатно для учеников 5–11 классов.", "По муниципальной программе «Развитие системы образования» в школах № 1, № 2 и гимназии № 25 открылись 12 кружков. Запись — у классных руководителей.", "education", "education", []string{"education"}, "2026-09-25 12:00", false, false},
	{"Завершён ремонт улицы Ленина", "Отремонтировано 1,8 км дороги и 3,2 км тротуаров, установлено 46 новых светильников.", "Подрядчик завершил ремонт улицы Ленина от проспекта Успенского до улицы Кривоусова. Гарантийный срок на покрытие — 5 лет.", "architecture", "", []string{"transport", "urban"}, "2026-10-02 15:00", false, false},
	{"Предприниматели могут получить субсидию на модернизацию оборудования", "Приём заявок продлится до 30 ноября.", "Субъекты малого и среднего предпринимательства могут возместить до 50 % затрат на покупку оборудования, но не более 1 млн рублей. Условия и форма заявки — в разделе [«Экономика»](/sections/economy).", "economy", "economy", []string{"economy"}, "2026-10-07 11:00", false, false},
	{"Проект бюджета на 2027 год вынесен на публичные слушания", "Слушания пройдут 20 ноября в 17:00 в зале заседаний администрации.", "Проект бюджета городского округа на 2027 год и плановый период 2028–2029 годов опубликован. Предложения принимаются до 19 ноября.", "finance", "budget", []string{"budget"}, "2026-10-20 10:00", false, false},
	{"Жителей приглашают оценить качество информации на официальном сайте", "Внизу каждой страницы появилась форма «Полезна ли информация?».", "По мероприятию 2.2 дорожной карты открытости на каждой странице сайта можно оценить актуальность, полноту и полезность информации от 1 до 5 и написать, что добавить на сайт. Регистрация не нужна.", "deputy-general", "participation", nil, "2026-10-26 09:00", false, false},
	{"Общественный совет оценил работу администрации за третий квартал", "Средняя оценка — 4,1 из 5; замечания касаются сроков ответов на обращения.", "На открытом заседании общественный совет рассмотрел доклад о работе администрации в III квартале. Рекомендации совета будут учтены в плане на следующий квартал.", "press", "press", nil, "2026-10-30 18:00", false, false},
	{"Глава городского округа провёл приём граждан", "На приём пришли 14 человек, большинство вопросов — о благоустройстве дворов.", "По итогам приёма даны 9 поручений структурным подразделениям. Ход их исполнения можно отследить по номеру обращения.", "press", "appeals-info", []string{"urban"}, "2026-11-02 17:30", false, false},
	{"График отключения горячей воды в ноябре", "Отключения связаны с ремонтом сетей на улицах Победы и Юбилейной.", "С 10 по 13 ноября горячей воды не будет в домах № 2–18 по улице Победы, с 16 по 18 ноября — в домах № 1–15 по улице Юбилейной.", "housing", "housing", []string{"housing"}, "2026-11-05 08:00", false, false},
	{"Осторожно, тонкий лёд", "Выход на лёд водоёмов округа опасен до установления устойчивых морозов.", "Толщина льда на Исетском озере и реке Пышме не превышает 5 см. Безопасная толщина для пешехода — не менее 7 см. Телефон спасателей — 112.", "deputy-general", "safety", []string{"safety"}, "2026-11-12 10:00", false, false},
	{"Открылся физкультурно-оздоровительный комплекс в микрорайоне Садовый", "В комплексе бассейн, игровой зал и тренажёрный зал; для пенсионеров занятия бесплатны.", "Комплекс построен по муниципальной программе «Развитие культуры и спорта». Расписание секций — на сайте комплекса и в управлении образования.", "education", "", []string{"sport"}, "2026-11-20 12:00", false, false},
	{"Режим работы администрации в новогодние праздники", "С 31 декабря по 11 января приём граждан не ведётся; ЕДДС работает круглосуточно.", "В праздничные дни обращения можно направить через портал — они будут зарегистрированы в первый рабочий день.", "affairs", "administration", nil, "2026-12-25 09:00", true, false},
	{"Итоги года: черновик", "Черновик итоговой новости.", "Текст готовится.", "affairs", "administration", nil, "", false, true},
}

// demoLinks are the pages that fulfil each catalogue item.
var demoLinks = map[string][]CatalogueLink{
	"1а": {{Title: "Структура администрации", URL: "/sections/administration/structure"}},
	"1б": {{Title: "Полномочия и функции", URL: "/sections/administration/powers"}},
	"1в": {{Title: "Подведомственные организации", URL: "/sections/administration/subordinate"}},
	"1г": {{Title: "Руководство", URL: "/sections/administration/leadership"}},
	"1д": {{Title: "Информационные системы и реестры", URL: "/sections/economy/info-systems"}},
	"1е": {{Title: "СМИ и официальные страницы", URL: "/sections/press/media"}},
	"1ж": {{Title: "СМИ и официальные страницы", URL: "/sections/press/media"}},
	"1з": {{Title: "Как высказать мнение", URL: "/sections/participation/how-to-participate"}, {Title: "Общественные обсуждения", URL: "/consultations"}},
	"2а": {{Title: "Реестр муниципальных правовых актов", URL: "/acts"}},
	"2б": {{Title: "Проекты правовых актов", URL: "/consultations"}},
	"2в": {{Title: "Муниципальные закупки", URL: "/sections/economy/procurement"}},
	"2г": {{Title: "Административные регламенты", URL: "/sections/rule-making/regulations"}},
	"2д": {{Title: "Формы обращений и заявлений", URL: "/sections/appeals-info/forms"}},
	"2е": {{Title: "Порядок обжалования", URL: "/sections/rule-making/appeal-procedure"}},
	"3":  {{Title: "Муниципальные программы", URL: "/sections/economy/programmes"}, {Title: "Новости", URL: "/news"}},
	"4":  {{Title: "Защита населения от ЧС", URL: "/sections/safety/emergencies"}},
	"5":  {{Title: "Результаты проверок", URL: "/sections/economy/inspections"}},
	"6":  {{Title: "Выступления и заявления", URL: "/sections/press/speeches"}},
	"7а": {{Title: "Основные показатели", URL: "/sections/economy/statistics"}},
	"7б": {{Title: "Исполнение бюджета", URL: "/sections/budget/execution"}},
	"7в": {{Title: "Налоговые льготы и отсрочки", URL: "/sections/budget/benefits"}},
	"8а": {{Title: "Порядок поступления на службу", URL: "/sections/administration/civil-service/admission"}},
	"8б": {{Title: "Вакантные должности", URL: "/sections/administration/civil-service/vacancies"}},
	"8в": {{Title: "Вакантные должности", URL: "/sections/administration/civil-service/vacancies"}},
	"8г": {{Title: "Вакантные должности", URL: "/sections/administration/civil-service/vacancies"}},
	"8д": {{Title: "Порядок поступления на службу", URL: "/sections/administration/civil-service/admission"}},
	"8е": {{Title: "Образовательные организации", URL: "/sections/education/schools"}},
	"9а": {{Title: "Порядок и время приёма", URL: "/sections/appeals-info/reception"}},
	"9б": {{Title: "Порядок и время приёма", URL: "/sections/appeals-info/reception"}},
	"9в": {{Title: "Обзоры обращений", URL: "/sections/appeals-info/reviews"}},
	"10": {{Title: "Разделы сайта", URL: "/sections"}},
}

// demoOpenData flags the catalogue items whose information the open data
// register also publishes (the datasets the areas generate).
var demoOpenData = map[string]string{
	"2а": "legal_acts",
	"2б": "consultations",
	"9в": "appeals_statistics",
	"10": "information_catalogue",
}

// demoDates are the catalogue's last updates and recorded changes; a few
// are overdue so that the monitor and the reminder have something to show.
var demoDates = map[string][2]string{
	"1д": {"2025-10-01", ""},           // yearly, overdue
	"7б": {"2026-07-15", ""},           // quarterly, overdue
	"8б": {"2026-11-02", "2026-11-16"}, // three working days after a change, overdue
	"9в": {"2026-10-12", ""},
	"6":  {"2026-11-01", ""},
	"3":  {"2026-11-03", ""},
	"7а": {"2026-10-20", ""},
	"5":  {"2026-10-14", ""},
}

// Demo loads realistic content for the municipality: the section tree,
// pages, news, the full 8-FZ catalogue and a few page ratings. Everything is
// looked up by its natural key first, so running it twice changes nothing.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	depts := map[string]int64{}
	all, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	for _, d := range all {
		depts[d.Slug] = d.ID
	}
	spheres := map[string]SphereRef{}
	sl, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return err
	}
	for _, s := range sl {
		spheres[s.Slug] = SphereRef{ID: s.ID, Slug: s.Slug, Name: s.Name}
	}
	sections := map[string]Section{}
	for i, ds := range demoSections {
		s, err := a.Store.SectionByPath(ctx, m.ID, ds.Path)
		if err != nil {
			parent := ""
			slug := ds.Path
			if j := lastSlash(ds.Path); j >= 0 {
				parent, slug = ds.Path[:j], ds.Path[j+1:]
			}
			s = Section{MunicipalityID: m.ID, ParentID: sections[parent].ID, Slug: slug, Path: ds.Path, Title: ds.Title, Description: ds.Description, DepartmentID: depts[ds.Dept], Position: i * 10, InMenu: ds.InMenu}
			if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.Store.CreateSection(ctx, tx, &s) }); err != nil {
				return fmt.Errorf("demo section %s: %w", ds.Path, err)
			}
		}
		sections[ds.Path] = s
	}
	published := time.Date(2026, 8, 20, 5, 0, 0, 0, time.UTC)
	for i, dp := range demoPages {
		sec := sections[dp.Section]
		if _, err := a.Store.PageBySlug(ctx, m.ID, sec.ID, dp.Slug); err == nil {
			continue
		}
		p := Page{MunicipalityID: m.ID, SectionID: sec.ID, SectionPath: sec.Path, DepartmentID: sec.DepartmentID, Slug: dp.Slug, Title: dp.Title, Summary: dp.Summary, BodyMD: dp.Body, State: StatePublished, Position: i, PublishedAt: published}
		if p.BodyHTML, err = a.Markdown.HTML(p.BodyMD); err != nil {
			return err
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.InsertPage(ctx, tx, &p, 0); err != nil {
				return err
			}
			if err := a.Store.AddRevision(ctx, tx, m.ID, "page", p.ID, p.Title, p.BodyMD, 0, "Демонстрационные данные"); err != nil {
				return err
			}
			return a.afterPageSave(ctx, tx, m, p, true)
		})
		if err != nil {
			return fmt.Errorf("demo page %s: %w", dp.Slug, err)
		}
	}
	for _, dn := range demoNewsItems {
		if ok, err := a.Store.NewsTitleExists(ctx, m.ID, dn.Title); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		n := News{MunicipalityID: m.ID, SectionID: sections[dn.Section].ID, SectionPath: dn.Section, DepartmentID: depts[dn.Dept], Title: dn.Title, Summary: dn.Summary, BodyMD: dn.Body, State: StatePublished}
		for _, s := range dn.Spheres {
			if ref, ok := spheres[s]; ok {
				n.Spheres = append(n.Spheres, ref)
			}
		}
		when := time.Time{}
		if dn.Date != "" {
			t, err := time.ParseInLocation("2006-01-02 15:04", dn.Date, locationOf(m))
			if err != nil {
				return err
			}
			when = t.UTC()
		}
		switch {
		case dn.Draft:
			n.State = StateDraft
		case dn.Scheduled && when.After(a.DB.Now()):
			n.State, n.PublishAt = StateScheduled, when
		default:
			n.PublishedAt = when
		}
		if n.BodyHTML, err = a.Markdown.HTML(n.BodyMD); err != nil {
			return err
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.InsertNews(ctx, tx, &n, 0); err != nil {
				return err
			}
			if err := a.Store.AddRevision(ctx, tx, m.ID, "news", n.ID, n.Title, n.BodyMD, 0, "Демонстрационные данные"); err != nil {
				return err
			}
			return a.afterNewsSave(ctx, tx, n, n.State == StatePublished)
		})
		if err != nil {
			return fmt.Errorf("demo news %q: %w", dn.Title, err)
		}
	}
	if err := a.demoPress(ctx, m, depts, sections, spheres); err != nil {
		return err
	}
	if err := a.demoCatalogue(ctx, m, depts); err != nil {
		return err
	}
	return a.demoFeedback(ctx, m)
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

func (a *Area) demoCatalogue(ctx context.Context, m tenant.Municipality, depts map[string]int64) error {
	recent := deadline.NewDate(2026, time.November, 24)
	for i, li := range Article13 {
		if ok, err := a.Store.CatalogueCodeExists(ctx, m.ID, li.Code); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		it := CatalogueItem{MunicipalityID: m.ID, Code: li.Code, Category: li.Category, Position: i, Title: li.Title, DepartmentID: depts[li.Department], Rule: li.Rule, RuleDays: li.Days, UpdatedOn: recent, OpenData: demoOpenData[li.Code]}
		if d, ok := demoDates[li.Code]; ok {
			it.UpdatedOn, it.ChangedOn = parseDate(d[0]), parseDate(d[1])
		}
		for _, l := range demoLinks[li.Code] {
			if rest, ok := cutSectionURL(l.URL); ok {
				if sec, err := a.Store.SectionByPath(ctx, m.ID, rest[0]); err == nil {
					if p, err := a.Store.PageBySlug(ctx, m.ID, sec.ID, rest[1]); err == nil {
						l.PageID = p.ID
					}
				}
			}
			it.Links = append(it.Links, l)
		}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.InsertCatalogueItem(ctx, tx, &it); err != nil {
				return err
			}
			return a.Store.UpdateCatalogueItem(ctx, tx, it)
		})
		if err != nil {
			return fmt.Errorf("demo catalogue: %w", err)
		}
	}
	return nil
}

func cutSectionURL(u string) ([2]string, bool) {
	const prefix = "/sections/"
	if len(u) <= len(prefix) || u[:len(prefix)] != prefix {
		return [2]string{}, false
	}
	rest := u[len(prefix):]
	j := lastSlash(rest)
	if j <= 0 {
		return [2]string{}, false
	}
	return [2]string{rest[:j], rest[j+1:]}, true
}

var demoRatings = []struct {
	Path       string
	R, C, U    int
	Suggestion string
}{
	{"/sections/administration/structure", 5, 4, 5, "Добавьте часы работы каждого подразделения."},
	{"/sections/administration/structure", 4, 4, 4, ""},
	{"/sections/administration/civil-service/vacancies", 3, 2, 3, "Не хватает размера зарплаты по вакансиям."},
	{"/sections/appeals-info/reception", 5, 5, 5, ""},
	{"/sections/appeals-info/reviews", 4, 3, 4, "Хотелось бы видеть обзор по каждому микрорайону."},
	{"/sections/housing/heating", 2, 2, 3, "Нужен график подключения тепла по домам."},
	{"/sections/budget/execution", 4, 3, 3, "Добавьте расходы по муниципальным программам."},
	{"/news", 5, 4, 4, ""},
	{"/", 4, 4, 5, "Сделайте подписку на новости по почте."},
	{"/catalogue", 4, 5, 4, ""},
}

func (a *Area) demoFeedback(ctx context.Context, m tenant.Municipality) error {
	for i, d := range demoRatings {
		key := fmt.Sprintf("demo-%d", i)
		secID, err := a.Store.SectionForPath(ctx, m.ID, d.Path)
		if err != nil {
			return err
		}
		err = a.Store.InsertFeedback(ctx, m.ID, Feedback{Path: d.Path, SectionID: secID, Relevance: d.R, Completeness: d.C, Usefulness: d.U, Suggestion: d.Suggestion}, key, key, "2026-11-20")
		if err != nil && err != ErrAlreadyRated {
			return fmt.Errorf("demo feedback: %w", err)
		}
	}
	return nil
}
