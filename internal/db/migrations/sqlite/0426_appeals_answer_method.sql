-- How the citizen asked to be answered, recorded by the operator who
-- registers a call or a visit: 'post', 'email', 'in_person' or 'phone';
-- '' when the appeal itself says (a written or electronic appeal).
ALTER TABLE appeals ADD COLUMN answer_method TEXT NOT NULL DEFAULT '';
