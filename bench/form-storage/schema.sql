-- The two ways of storing a form's values that issue 17 weighs, side by side, with the indexes each needs.
-- (a) what Edc does: one row per form instance, its values one JSONB document (as form_records).
CREATE TABLE doc_records (
    id uuid PRIMARY KEY, trial_id uuid NOT NULL, site_id uuid NOT NULL, participant_id uuid NOT NULL, visit_id uuid,
    form_code varchar(20) NOT NULL, form_version int NOT NULL, values jsonb NOT NULL, status varchar(20) NOT NULL,
    removed boolean NOT NULL DEFAULT false, removed_reason varchar(2000), entered_at timestamptz NOT NULL, version int NOT NULL);
CREATE UNIQUE INDEX ON doc_records (visit_id, form_code) WHERE visit_id IS NOT NULL;
CREATE INDEX ON doc_records (participant_id, form_code);
CREATE INDEX ON doc_records (trial_id, form_code);

-- (b) the alternative: the same instance row without values, and one typed row per item.
CREATE TABLE row_records (
    id uuid PRIMARY KEY, trial_id uuid NOT NULL, site_id uuid NOT NULL, participant_id uuid NOT NULL, visit_id uuid,
    form_code varchar(20) NOT NULL, form_version int NOT NULL, status varchar(20) NOT NULL,
    removed boolean NOT NULL DEFAULT false, removed_reason varchar(2000), entered_at timestamptz NOT NULL, version int NOT NULL);
CREATE UNIQUE INDEX ON row_records (visit_id, form_code) WHERE visit_id IS NOT NULL;
CREATE INDEX ON row_records (participant_id, form_code);
CREATE INDEX ON row_records (trial_id, form_code);
CREATE TABLE item_values (
    record_id uuid NOT NULL REFERENCES row_records (id), item_code varchar(32) NOT NULL,
    number numeric, text text, date date, instant timestamptz, flag boolean, codes text[],
    PRIMARY KEY (record_id, item_code));
