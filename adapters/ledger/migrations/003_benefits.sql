-- 003: the reference ledger's benefit and collection inputs (benefits.md §10.2):
-- claims, the 高額療養費 history, moves within the prefecture, meals, births,
-- funerals, the installments as notified, payments, 督促状 and refunds, the
-- evaluation date and the applications of a household's year, and the two
-- income fields the categories need. New tables only: a ledger without them
-- (or a mapping that does not read them) assesses the premium as before.
-- Lists are kept per household and fiscal year, in the record's order (seq).

CREATE TABLE ledger.household_benefits (
  fiscal_year                 integer NOT NULL,
  household_id                text COLLATE "C" NOT NULL,
  evaluation_date             date,              -- benefits.md §10.1
  base_income_application_on  date,              -- 基準収入額適用の申請日
  PRIMARY KEY (fiscal_year, household_id),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE
);

CREATE TABLE ledger.member_benefits (
  fiscal_year                 integer NOT NULL,
  household_id                text COLLATE "C" NOT NULL,
  person_id                   text COLLATE "C" NOT NULL,
  meal_long_stay_applied_on   date,              -- 長期入院該当の申請日
  PRIMARY KEY (fiscal_year, household_id, person_id),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE
);

CREATE TABLE ledger.income_details (
  person_id      text COLLATE "C" NOT NULL REFERENCES ledger.persons ON DELETE CASCADE,
  income_year    integer NOT NULL,
  total_revenue  bigint,                         -- 収入金額の合計; NULL: not shown
  head_on_dec31  boolean NOT NULL DEFAULT false, -- 12月31日現在の世帯主
  PRIMARY KEY (person_id, income_year)
);

-- One table per list of benefits.md §10.2, each row in its record's order.
CREATE TABLE ledger.claims (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  person_id text, service_month text, provider_id text, setting text, dept text, prescriber_id text,
  total_cost bigint, copay bigint, paid_at_window bigint, specified_disease text, copay_paid_on date,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.high_cost_history (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  month text, carried_from text,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.prefecture_moves (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  date date,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.meals (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  person_id text, date date, count integer, intractable boolean,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.births (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  person_id text, date date, children integer, gestation_days integer, participating_facility boolean,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.funerals (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  person_id text, death_date date, funeral_date date,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.installments (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  installment_year integer, period integer, due date, amount bigint,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.payments (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  installment_year integer, period integer, date date, amount bigint,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.demand_notices (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  installment_year integer, period integer, issued_on date,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
CREATE TABLE ledger.refunds (
  fiscal_year integer NOT NULL, household_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  installment_year integer, period integer, amount bigint, paid_on date, decided_on date,
  PRIMARY KEY (fiscal_year, household_id, seq),
  FOREIGN KEY (fiscal_year, household_id) REFERENCES ledger.households ON DELETE CASCADE);
