-- Published comments per point of a consultation, kept in the same
-- transaction as every change of a comment's status, so that the page and
-- its pager read a handful of rows however many comments there are.
CREATE TABLE consult_point_counts (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    point TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (consultation_id, point)
);
INSERT INTO consult_point_counts (consultation_id, point, published)
    SELECT consultation_id, point, COUNT(*) FROM consultation_comments WHERE status = 'published' GROUP BY consultation_id, point;
