package db

// Known lists the migration versions this program carries for an engine,
// in order; restore compares a backup's level with it, so that a copy made
// by a newer version is refused instead of half understood.
func Known(dialect Dialect) ([]string, error) {
	ms, err := (&DB{Dialect: dialect}).migrations()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out, nil
}
