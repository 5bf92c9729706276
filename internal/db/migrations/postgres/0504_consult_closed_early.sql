-- A discussion closed before its planned end keeps the day it closed and
-- the stated reason: the summary reports the real dates, not the plan.
ALTER TABLE consultations ADD COLUMN closed_early_on TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN closed_early_reason TEXT NOT NULL DEFAULT '';
