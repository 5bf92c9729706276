-- The calendar corrections moved to the deadline kernel's calendar_days.
INSERT INTO calendar_days (municipality_id, day, working, note)
SELECT municipality_id, day, working, note FROM appeal_calendar_days;
DROP TABLE appeal_calendar_days;
