-- The 7-day term of article 11 parts 2, 4, 4.1 and 5.1 of 59-FZ (returning
-- the appeal, or telling the citizen why it gets no answer on the merits,
-- or where the answer is already published), counted from registration.
-- Empty for appeals registered before the term was tracked.
ALTER TABLE appeals ADD COLUMN notice_by TEXT NOT NULL DEFAULT '';
