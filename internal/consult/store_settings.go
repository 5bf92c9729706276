package consult

// The municipality's settings of consultations.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/glasnost/glasnost/internal/db"
)

// Settings are a municipality's editable lists.
type Settings struct {
	WordList        string
	WordingRules    string
	ModerationRules string
}

// defaultWordingText is the default rules in their editable form; building
// it compiles every rule, so it is done once.
var defaultWordingText = sync.OnceValue(func() string { return FormatWordingRules(DefaultWordingRules()) })

// Settings returns the municipality's settings, defaults where unset.
func (s *Store) Settings(ctx context.Context, munID int64) (Settings, error) {
	var st Settings
	err := s.DB.QueryRow(ctx, `SELECT word_list, wording_rules, moderation_rules FROM consult_settings WHERE municipality_id = ?`, munID).Scan(&st.WordList, &st.WordingRules, &st.ModerationRules)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("read consultation settings: %w", err)
	}
	if strings.TrimSpace(st.WordList) == "" {
		st.WordList = DefaultWordList
	}
	if strings.TrimSpace(st.WordingRules) == "" {
		st.WordingRules = defaultWordingText()
	}
	if strings.TrimSpace(st.ModerationRules) == "" {
		st.ModerationRules = DefaultModerationRules
	}
	return st, nil
}

// SaveSettings stores the settings.
func (s *Store) SaveSettings(ctx context.Context, tx *db.Tx, munID int64, st Settings) error {
	res, err := tx.Exec(ctx, `UPDATE consult_settings SET word_list = ?, wording_rules = ?, moderation_rules = ?, updated_at = ? WHERE municipality_id = ?`,
		st.WordList, st.WordingRules, st.ModerationRules, s.DB.Now(), munID)
	if err != nil {
		return fmt.Errorf("save consultation settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO consult_settings (municipality_id, word_list, wording_rules, moderation_rules, updated_at) VALUES (?, ?, ?, ?, ?)`,
		munID, st.WordList, st.WordingRules, st.ModerationRules, s.DB.Now())
	if err != nil {
		return fmt.Errorf("save consultation settings: %w", err)
	}
	return nil
}

// Expert statuses.
const (
	ExpertPending  = "pending"
	ExpertVerified = "verified"
	ExpertRejected = "rejected"
)
