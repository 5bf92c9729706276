-- A rule may exclude events whose object also has an event of another kind:
-- measure 4.2 (public discussions of drafts) counts a consultation opened,
-- but not one that is an anti-corruption expertise or a declaration of goals.
ALTER TABLE roadmap_measures ADD COLUMN rule_except TEXT NOT NULL DEFAULT '';
UPDATE roadmap_measures SET rule_except = 'expertise.opened
declaration.published' WHERE number = '4.2' AND rule_kinds = 'consultation.opened';
