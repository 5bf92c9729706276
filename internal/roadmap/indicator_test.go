package roadmap

import "testing"

func TestParseIndicator(t *testing.T) {
	tests := []struct {
		text string
		want *Indicator
	}{
		// The seed's phrasing.
		{"Количество публикаций – 5 ед.", &Indicator{Kind: IndicatorPublications, Target: 5}},
		{"Количество правовых актов – 1 ед.", &Indicator{Kind: IndicatorActs, Target: 1}},
		{"Количество разделов – 1 ед.", &Indicator{Kind: IndicatorSections, Target: 1}},
		{"Количество мероприятий – 1 ед.", &Indicator{Kind: IndicatorEvents, Target: 1}},
		{"Количество референтных групп – не более 8 ед.", &Indicator{Kind: IndicatorReferenceGroups, Target: 8, Limit: true}},
		{"Количество экспертиз – 1 ед.", &Indicator{Kind: IndicatorExpertises, Target: 1}},
		{"Количество тренингов – 1 ед.", &Indicator{Kind: IndicatorTrainings, Target: 1}},

		// Other ways plans state a count.
		{"Количество публикаций - 2 ед.", &Indicator{Kind: IndicatorPublications, Target: 2}},
		{"количество публикаций—3 ед", &Indicator{Kind: IndicatorPublications, Target: 3}},
		{"Количество публикаций: не менее 1 ед.", &Indicator{Kind: IndicatorPublications, Target: 1}},
		{"Количество референтных групп не более чем 8 единиц", &Indicator{Kind: IndicatorReferenceGroups, Target: 8, Limit: true}},
		{"не менее 1 ед.", &Indicator{Target: 1}},
		{"Проведено не менее 4 заседаний общественного совета", &Indicator{Kind: IndicatorEvents, Target: 4}},
		{"1 правовой акт", &Indicator{Kind: IndicatorActs, Target: 1}},
		{"Принят 1 нормативный правовой акт", &Indicator{Kind: IndicatorActs, Target: 1}},
		{"2 публикации в СМИ", &Indicator{Kind: IndicatorPublications, Target: 2}},
		{"4 отчёта в год", &Indicator{Kind: IndicatorReports, Target: 4}},
		{"Количество докладов – 1 ед.", &Indicator{Kind: IndicatorReports, Target: 1}},
		{"Количество обучающих семинаров – 2 ед.", &Indicator{Kind: IndicatorTrainings, Target: 2}},
		{"Количество опросов – 3 ед.", &Indicator{Kind: IndicatorPolls, Target: 3}},
		{"Количество наборов открытых данных – 10 ед.", &Indicator{Kind: IndicatorDatasets, Target: 10}},
		{"Количество публикаций о правовых актах – 2 ед.", &Indicator{Kind: IndicatorPublications, Target: 2}},
		{"Размещение отчёта на сайте. Количество публикаций – 1 ед.", &Indicator{Kind: IndicatorPublications, Target: 1}},
		{"Количество постановлений – 2 шт.", &Indicator{Kind: IndicatorActs, Target: 2}},
		{"До 8 ед. референтных групп", &Indicator{Kind: IndicatorReferenceGroups, Target: 8, Limit: true}},

		// The seed's prose results state no count.
		{"Расширение информационной открытости и актуализация открытых данных", nil},
		{"Обеспечение получения обратной связи", nil},
		{"Информирование референтных групп", nil},
		{"Повышение информированности граждан, направивших обращения в администрацию", nil},
		{"Предоставление тщательно проверенных на предмет неточностей и расхождения данных ", nil},
		{"", nil},
		// Numbers that are not counts.
		{"В соответствии с Федеральным законом от 9.02.2009 № 8-ФЗ", nil},
		{"План работы на 2019 год", nil},
		{"Актуализация раздела 2 раза в год", nil},
		{"Доля обращений, рассмотренных в срок, – 100 %", nil},
	}
	for _, tt := range tests {
		got := ParseIndicator(tt.text)
		switch {
		case got == nil && tt.want == nil:
		case got == nil || tt.want == nil || *got != *tt.want:
			t.Errorf("ParseIndicator(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}
