-- Ledger (账本): an append-only double-entry journal in integer fen, commissions with a
-- freeze period, and payout requests. See docs/ledger.md for the chart of accounts and postings.
-- Forward-only: never edit this file once released; add a later migration instead.
-- Orders, order lines, payments and refunds are referred to by plain bigint ids (no foreign
-- keys): the ledger is written by flows that own those rows, and must not depend on them.

-- Balance is signed debit-positive (Σ of the account's lines), kept in the same transaction
-- as the lines so reads need no aggregation. Liabilities and revenue are normally negative.
CREATE TABLE ledger_accounts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (code ~ '^[a-z_]+(:[a-z0-9_-]+)+$' AND length(code) <= 80),
  kind             text NOT NULL CHECK (kind IN ('asset', 'liability', 'revenue', 'expense')),
  -- The person a beneficiary account is owed to; null for the platform's own accounts.
  owner_account_id bigint REFERENCES accounts(id),
  balance_fen      bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_accounts_owner_idx ON ledger_accounts (owner_account_id) WHERE owner_account_id IS NOT NULL;

CREATE TABLE journal_entries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
  ref_type        text NOT NULL CHECK (ref_type ~ '^[a-z_]{1,32}$'),
  ref_id          bigint NOT NULL,
  -- One business event posts once: a replay with the same key finds this row and stops.
  idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  memo            text CHECK (length(memo) <= 200),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_entries_ref_idx ON journal_entries (ref_type, ref_id);

-- Debit positive, credit negative. Lines are merged per account, hence one per (entry, account).
CREATE TABLE journal_lines (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_id          bigint NOT NULL REFERENCES journal_entries(id),
  ledger_account_id bigint NOT NULL REFERENCES ledger_accounts(id),
  amount_fen        bigint NOT NULL CHECK (amount_fen <> 0),
  UNIQUE (entry_id, ledger_account_id)
);
-- Statements read an account's lines newest first.
CREATE INDEX journal_lines_account_idx ON journal_lines (ledger_account_id, id);

-- The journal is history: corrections are new entries, never edits.
CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the journal is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
  FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();

-- Checked at COMMIT (deferred), once all lines of the entry are in: an entry balances to zero
-- and moves money between at least two accounts. The application checks the same first; this
-- catches any writer that bypasses it. It fires once per entry (~0.3 ms on PGlite). A twin on
-- journal_lines would also catch lines added to an old entry by a later transaction, but fires
-- once per line (~0.07 ms each); LedgerService.verify() finds those instead.
CREATE FUNCTION journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
  n     bigint;
BEGIN
  SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, n FROM journal_lines WHERE entry_id = NEW.id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'journal entry % does not balance (sum %, % lines)', NEW.id, total, n
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced();

-- ── Commissions (佣金) ────────────────────────────────────────────────────────
-- A store's share of its own sales is a commission with party 'store' (agency model: the
-- platform collects the whole payment and owes the store its share).
CREATE TABLE commissions (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id               bigint NOT NULL,
  -- Null: earned on the whole order (e.g. a referrer), reversed by the order's refunded share.
  order_line_id          bigint,
  payment_id             bigint NOT NULL,
  -- The journal entry that booked it (the payment entry).
  entry_id               bigint NOT NULL REFERENCES journal_entries(id),
  party                  text NOT NULL CHECK (party IN ('leader', 'host', 'store', 'referrer')),
  beneficiary_account_id bigint NOT NULL REFERENCES accounts(id),
  base_fen               bigint NOT NULL CHECK (base_fen >= 0),
  amount_fen             bigint NOT NULL CHECK (amount_fen >= 0 AND amount_fen <= base_fen),
  reversed_fen           bigint NOT NULL DEFAULT 0 CHECK (reversed_fen BETWEEN 0 AND amount_fen),
  status                 text NOT NULL DEFAULT 'frozen' CHECK (status IN ('frozen', 'released')),
  -- Set when the order completes (end of the after-sales window); null means not yet due.
  release_after          timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  released_at            timestamptz,
  CHECK ((status = 'released') = (released_at IS NOT NULL))
);
CREATE INDEX commissions_order_idx ON commissions (order_id, id);
CREATE INDEX commissions_beneficiary_idx ON commissions (beneficiary_account_id, id);
CREATE INDEX commissions_due_idx ON commissions (release_after, id) WHERE status = 'frozen' AND release_after IS NOT NULL;

-- ── Payouts (提现) ────────────────────────────────────────────────────────────
CREATE TABLE payouts (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  beneficiary_account_id bigint NOT NULL REFERENCES accounts(id),
  amount_fen             bigint NOT NULL CHECK (amount_fen > 0),
  status                 text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'paid', 'rejected')),
  reason                 text CHECK (length(reason) <= 200),
  decided_by             bigint REFERENCES accounts(id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  decided_at             timestamptz,
  CHECK ((status = 'requested') = (decided_at IS NULL))
);
CREATE INDEX payouts_beneficiary_idx ON payouts (beneficiary_account_id, id);
CREATE INDEX payouts_status_idx ON payouts (status, id);
