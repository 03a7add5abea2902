-- 002: the reference ledger (被保険者台帳): the inputs of household.md as a
-- city's tables might hold them. Used by `shiki ledger load`, the demos, the
-- tests and the benchmark; a city with its own ledger leaves these empty and
-- points a mapping file at its own tables (docs/ledger.md).
--
-- Person facts live once per person; the household as assessed for a fiscal
-- year (who is in it, who is head) and the applications for that year live per
-- year; income per income year (FY N is assessed on year N-1). Ids are
-- codes, not words: COLLATE "C" makes the index order the byte order the
-- batch merges its streams in.
-- Columns are nullable where a real ledger can have a gap (a missing birth
-- date, say): such a household must reach the engine and fail there with its
-- error recorded, not be silently dropped by a constraint.
CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE ledger.persons (
  person_id               text COLLATE "C" PRIMARY KEY,     -- 宛名番号 (never a My Number)
  birth_date              date,
  late_elderly_since      date,                 -- 後期高齢者医療へ移行した日
  former_dependent_since  date                  -- 旧被扶養者: the date of that move
);

CREATE TABLE ledger.nhi_periods (
  person_id   text COLLATE "C" NOT NULL REFERENCES ledger.persons ON DELETE CASCADE,
  date_from   date NOT NULL,                    -- 資格取得日
  date_until  date,                             -- 資格喪失日 (first day not insured)
  PRIMARY KEY (person_id, date_from)
);

CREATE TABLE ledger.households (
  fiscal_year   integer NOT NULL,
  household_id  text COLLATE "C" NOT NULL,      -- 世帯番号
  PRIMARY KEY (fiscal_year, household_id)
);

CREATE TABLE ledger.members (
  fiscal_year   integer NOT NULL,
  household_id  text COLLATE "C" NOT NULL,
  seq           integer NOT NULL,               -- order of members[] in the household
  person_id     text COLLATE "C" NOT NULL REFERENCES ledger.persons,
  head          boolean NOT NULL,
  insured       boolean NOT NULL,
  -- 非自発的失業者 reduction applied for: the separation date
  unemployment_separation_date  date,
  -- 産前産後 exemption: expected month (first day of it) and multiple birth
  childbirth_expected_month     date,
  childbirth_multiple           boolean,
  PRIMARY KEY (fiscal_year, household_id, seq),
  UNIQUE (fiscal_year, household_id, person_id),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE,
  CHECK (childbirth_expected_month IS NULL OR extract(day FROM childbirth_expected_month) = 1)
);
CREATE INDEX members_person ON ledger.members (person_id);

CREATE TABLE ledger.incomes (
  person_id                        text COLLATE "C" NOT NULL REFERENCES ledger.persons ON DELETE CASCADE,
  income_year                      integer NOT NULL,   -- calendar year of the income
  declared                         boolean NOT NULL,
  salary_revenue                   bigint NOT NULL DEFAULT 0,
  public_pension_revenue           bigint NOT NULL DEFAULT 0,
  business_income                  bigint NOT NULL DEFAULT 0,
  real_estate_income               bigint NOT NULL DEFAULT 0,
  miscellaneous_income             bigint NOT NULL DEFAULT 0,
  dividend_income                  bigint NOT NULL DEFAULT 0,
  occasional_income                bigint NOT NULL DEFAULT 0,
  separate_capital_gains           bigint NOT NULL DEFAULT 0,
  capital_gains_special_deduction  bigint NOT NULL DEFAULT 0,
  family_worker_deduction          bigint NOT NULL DEFAULT 0,
  family_worker_pay                bigint NOT NULL DEFAULT 0,
  net_loss_carryforward            bigint NOT NULL DEFAULT 0,
  casualty_loss_carryforward       bigint NOT NULL DEFAULT 0,
  income_adjustment_dependents     boolean NOT NULL DEFAULT false,
  resident_tax_exempt              boolean NOT NULL DEFAULT false,
  taxable_income                   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (person_id, income_year)
);
