package consult

import (
	"strings"
	"testing"
)

func TestWordListCatches(t *testing.T) {
	wl := MustDefaultWordList()
	tests := []struct {
		text   string
		caught bool
	}{
		// Obscene and abusive words, in forms and disguises.
		{"Вы там все охуели с этими тарифами", true},
		{"Это пиздец, а не дорога", true},
		{"Заебали ремонтировать одну и ту же яму", true},
		{"Глава — мудак", true},
		{"сука, опять без воды", true},
		{"xуйня полная", true}, // Latin x
		{"ХУЙНЯ", true},
		{"Вы дебилы?", true},
		{"Бля, когда починят фонарь", true},
		// Ordinary words that contain the same letters must pass.
		{"Предлагаю застраховать детские площадки; страхуем оборудование ежегодно", false},
		{"Требую провести дебаты и публичные слушания", false},
		{"Требуется ремонт, прошу учесть требования жителей", false},
		{"Стоимость 500 рублей за квадратный метр", false},
		{"Ветер колеблет ограждение", false},
		{"Нужна новая бляха для дворника и сукно для стола", false},
		{"Картошка уродилась, ярмарка нужна в сентябре", false},
		{"Уродливый забор у школы надо заменить", false},
		{"Мудрое решение — ограничить скорость", false},
		{"Оскорбление чести и достоинства гражданина недопустимо: предлагаю добавить это в правила", false},
		{"Нецензурная брань в общественных местах — административное правонарушение", false},
		{"Хулиганство у подъезда, прошу установить камеры", false},
		{"Ребята из команды сделали проект", false},
		{"Художественная школа просит продлить часы работы", false},
	}
	for _, tt := range tests {
		hits := wl.Check(tt.text)
		if (len(hits) > 0) != tt.caught {
			t.Errorf("%q: caught %v, want caught=%v", tt.text, hits, tt.caught)
		}
	}
}

func TestParseWordList(t *testing.T) {
	wl, err := ParseWordList("# комментарий\nплохое\nкорен*\n*середин*\n!коренной\n")
	if err != nil {
		t.Fatal(err)
	}
	if wl.Size() != 4 {
		t.Fatalf("size %d", wl.Size())
	}
	for text, want := range map[string]bool{"это плохое дело": true, "неплохое дело": false, "кореньями": true, "коренной житель": false, "посерединке": true} {
		if got := len(wl.Check(text)) > 0; got != want {
			t.Errorf("%q: caught %v, want %v", text, got, want)
		}
	}
	for _, bad := range []string{"а*", "плохое слово", "сл0во?", "*"} {
		if _, err := ParseWordList("ок\n" + bad); err == nil || !strings.Contains(err.Error(), "строка 2") {
			t.Errorf("%q: error %v, want one naming line 2", bad, err)
		}
	}
}
