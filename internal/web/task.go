package web

// Task is work waiting for a staff member (appeals to answer, comments to
// moderate, a dataset past its update term), as an area reports it for the
// staff dashboard and the overdue monitor.
type Task struct {
	// Area names the area for people; the registry fills it.
	Area  string
	Label string
	Count int
	Href  string
	// Overdue marks work past its term.
	Overdue bool
}
