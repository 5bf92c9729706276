-- The public list of acts counts the published acts that are not drafts,
-- and its filters by year count them again within a range of act_date.
-- With status in the index both counts read the index alone, where they
-- read the row of every act: at 10,000 acts the list's count took 25 ms
-- on SQLite.
DROP INDEX acts_public;
CREATE INDEX acts_public ON acts (municipality_id, published, act_date DESC, id DESC, status);
