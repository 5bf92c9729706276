-- Counting published comments by point must not visit every row: with
-- status and point in the index the count reads the index alone, which
-- keeps the consultation page flat at 10,000 comments.
DROP INDEX consultation_comments_point;
CREATE INDEX consultation_comments_point ON consultation_comments (consultation_id, status, point);
