package sentences

import (
	"slices"
	"testing"
)

func TestTexts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		o    Options
		want []string
	}{
		{"plain", "Первое. Второе! Третье?", Options{}, []string{"Первое.", "Второе!", "Третье?"}},
		{"abbreviations", "См. ст. 5 и п. 2 ч. 1. Далее.", Options{}, []string{"См. ст. 5 и п. 2 ч. 1.", "Далее."}},
		{"number sign", "Постановление № 118. Текст.", Options{}, []string{"Постановление № 118.", "Текст."}},
		{"initials", "Подписал И. И. Иванов. Дата.", Options{}, []string{"Подписал И. И. Иванов.", "Дата."}},
		{"year before a capital", "Принято в 2010 г. Решение вступает в силу.", Options{}, []string{"Принято в 2010 г.", "Решение вступает в силу."}},
		{"city", "Адрес: г. Верхняя Пышма. Телефон.", Options{}, []string{"Адрес: г. Верхняя Пышма.", "Телефон."}},
		{"small letter continues", "и т. д. в том же духе. Конец.", Options{}, []string{"и т. д. в том же духе.", "Конец."}},
		{"dates do not split", "С 26.02.2010 действует. Да.", Options{}, []string{"С 26.02.2010 действует.", "Да."}},
		{"quotes stay", "Он сказал: «Да.» Потом ушёл.", Options{}, []string{"Он сказал: «Да.»", "Потом ушёл."}},
		{"semicolons off", "а) первое; б) второе.", Options{}, []string{"а) первое; б) второе."}},
		{"semicolons on", "а) первое; б) второе.", Options{Semicolons: true}, []string{"а) первое;", "б) второе."}},
		{"line breaks on", "1. Первый пункт\n2. Второй пункт\nпродолжение", Options{LineBreaks: true}, []string{"1. Первый пункт", "2. Второй пункт\nпродолжение"}},
		{"line break before a count", "в течение\n10 рабочих дней", Options{LineBreaks: true}, []string{"в течение\n10 рабочих дней"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Texts(tt.in, tt.o); !slices.Equal(got, tt.want) {
				t.Errorf("Texts(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSpansCoverTheText(t *testing.T) {
	s := "  Первое.  Второе!\n\nТретье"
	sp := Spans(s, Options{LineBreaks: true})
	if sp[0][0] != 0 || sp[len(sp)-1][1] != len(s) {
		t.Fatalf("spans %v do not cover %q", sp, s)
	}
	for i := 1; i < len(sp); i++ {
		if sp[i][0] != sp[i-1][1] {
			t.Fatalf("gap between spans %v", sp)
		}
	}
}
