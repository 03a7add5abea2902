-- 001: shiki's results: one row per run, one row per assessed household, one
-- row per member. Written only by `shiki batch` / `shiki reassess`, each run in
-- one transaction, so a reader sees a whole run or none of it.
CREATE SCHEMA IF NOT EXISTS shiki;

CREATE TABLE shiki.runs (
  run_id          bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('batch', 'reassess')),
  fiscal_year     integer NOT NULL,
  -- the one household of a reassessment (更正); NULL for a batch (本算定)
  household_id    text,
  ruleset_id      text NOT NULL,
  ruleset_hash    text NOT NULL,
  mapping_hash    text NOT NULL,
  evaluation_date date NOT NULL,
  started_at      timestamptz NOT NULL,
  -- set just before commit; a run is never visible unfinished
  finished_at     timestamptz,
  -- 'current' until a later batch of the same year (or a later reassessment
  -- of the same household) replaces it; the row itself stays as history
  status          text NOT NULL CHECK (status IN ('current', 'superseded')),
  superseded_by   bigint REFERENCES shiki.runs,
  households      integer NOT NULL DEFAULT 0,
  failures        integer NOT NULL DEFAULT 0,
  CHECK ((kind = 'reassess') = (household_id IS NOT NULL))
);
CREATE INDEX runs_year_status ON shiki.runs (fiscal_year, status);

-- Every figure of the household.md output record is a column, so it can be
-- queried and summed in SQL. Installments are arrays (in period order) rather
-- than a row each: ten rows a household would make them the largest write of
-- the batch; shiki.current_installments unnests them.
-- No foreign key to runs: the batch writes 100,000 rows in one COPY and a
-- per-row trigger would cost more than the rest of the write.
CREATE TABLE shiki.household_results (
  run_id               bigint NOT NULL,
  household_id         text COLLATE "C" NOT NULL,
  ok                   boolean NOT NULL,
  error_field          text,
  error_message        text,
  annual               bigint,
  statutory_reduction  numeric,
  medical_income_levy bigint, medical_per_capita bigint, medical_per_household bigint,
  medical_reduction bigint, medical_over_cap bigint, medical_rounding bigint, medical_annual bigint,
  support_income_levy bigint, support_per_capita bigint, support_per_household bigint,
  support_reduction bigint, support_over_cap bigint, support_rounding bigint, support_annual bigint,
  care_income_levy bigint, care_per_capita bigint, care_per_household bigint,
  care_reduction bigint, care_over_cap bigint, care_rounding bigint, care_annual bigint,
  -- the child part exists from FY2026; NULL before
  child_income_levy bigint, child_per_capita bigint, child_per_household bigint,
  child_reduction bigint, child_over_cap bigint, child_rounding bigint, child_annual bigint,
  installment_periods  integer[],
  installment_months   date[],     -- first day of the installment's month
  installment_dues     date[],
  installment_amounts  bigint[],
  -- fields a ruleset adds beyond household.md, so nothing it says is lost
  extra                jsonb,
  PRIMARY KEY (run_id, household_id),
  CHECK (ok = (error_message IS NULL))
);

CREATE TABLE shiki.member_results (
  run_id          bigint NOT NULL,
  household_id    text COLLATE "C" NOT NULL,
  seq             integer NOT NULL,   -- position in the output's members[]
  person_id       text NOT NULL,
  limit_category  text,
  copay_rate      numeric,
  extra           jsonb,
  PRIMARY KEY (run_id, household_id, seq)
);

-- The assessment in force: for each year and household, the result of the
-- latest current run that holds it (a reassessment overrides the batch).
CREATE VIEW shiki.current_household_results AS
SELECT DISTINCT ON (r.fiscal_year, h.household_id) r.fiscal_year, h.*
FROM shiki.household_results h
JOIN shiki.runs r USING (run_id)
WHERE r.status = 'current'
ORDER BY r.fiscal_year, h.household_id, h.run_id DESC;

CREATE VIEW shiki.current_member_results AS
SELECT c.fiscal_year, m.*
FROM shiki.current_household_results c
JOIN shiki.member_results m USING (run_id, household_id);

CREATE VIEW shiki.current_installments AS
SELECT c.fiscal_year, c.household_id, c.run_id, i.period, i.month, i.due, i.amount
FROM shiki.current_household_results c,
     unnest(c.installment_periods, c.installment_months, c.installment_dues,
            c.installment_amounts) AS i(period, month, due, amount)
WHERE c.ok;
