using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CloneAI.Local.Sqlite;

/// <summary>The local SQLite file: WAL journal, foreign keys on, schema migrations applied in order at start.</summary>
public sealed class SqliteDatabase
{
    private static readonly string[] Migrations =
    [
        // 1: accounts and clones
        """
        CREATE TABLE users(
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL);
        CREATE TABLE credentials(
            user_id TEXT PRIMARY KEY REFERENCES users(id),
            password_hash TEXT NOT NULL,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER);
        CREATE TABLE tokens(
            hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id),
            family TEXT,
            expires_at INTEGER NOT NULL,
            used_at INTEGER);
        CREATE INDEX ix_tokens_family ON tokens(family) WHERE family IS NOT NULL;
        CREATE INDEX ix_tokens_user ON tokens(user_id, kind);
        CREATE TABLE clones(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            slug TEXT NOT NULL UNIQUE,
            owner_id TEXT NOT NULL,
            status TEXT NOT NULL,
            category TEXT NOT NULL,
            sort_price INTEGER NOT NULL,
            rating REAL NOT NULL,
            session_count INTEGER NOT NULL,
            published_at INTEGER,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL);
        CREATE INDEX ix_clones_owner ON clones(owner_id, created_at DESC);
        CREATE INDEX ix_clones_popular ON clones(status, session_count DESC, seq DESC);
        CREATE INDEX ix_clones_rating ON clones(status, rating DESC, seq DESC);
        CREATE INDEX ix_clones_newest ON clones(status, published_at DESC, seq DESC);
        CREATE INDEX ix_clones_price ON clones(status, sort_price, seq);
        CREATE VIRTUAL TABLE clones_fts USING fts5(name, tagline, description, tags, tokenize = 'unicode61 remove_diacritics 2');
        """,
        // 2: knowledge documents
        """
        CREATE TABLE documents(
            id TEXT PRIMARY KEY,
            clone_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL,
            UNIQUE(clone_id, sha256));
        CREATE INDEX ix_documents_clone ON documents(clone_id, created_at DESC);
        CREATE INDEX ix_documents_unfinished ON documents(status) WHERE status IN ('uploaded', 'processing');
        CREATE TABLE document_tags(
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY(document_id, tag));
        CREATE INDEX ix_document_tags_tag ON document_tags(tag);
        """,
        // 3: knowledge chunks (the local retrieval index: SqliteKnowledgeIndex, which keys its in-memory rows by seq). Until
        // migration 5 this also made an FTS5 table chunks_fts over text, title and heading_path, kept by triggers.
        """
        CREATE TABLE chunks(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            clone_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            page INTEGER,
            heading_path TEXT NOT NULL,
            file_name TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            token_count INTEGER NOT NULL,
            model TEXT NOT NULL,
            dims INTEGER NOT NULL,
            vector BLOB NOT NULL);
        CREATE INDEX ix_chunks_document ON chunks(clone_id, document_id);
        CREATE INDEX ix_chunks_model ON chunks(clone_id, model, dims);
        """,
        // 4: chat sessions, their messages and usage events (one per idempotency key)
        """
        CREATE TABLE sessions(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            clone_id TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            last_activity_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL);
        CREATE INDEX ix_sessions_user ON sessions(user_id, started_at DESC, seq DESC);
        CREATE INDEX ix_sessions_clone ON sessions(clone_id);
        CREATE INDEX ix_sessions_active ON sessions(status, last_activity_at) WHERE status = 'active';
        CREATE TABLE messages(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            client_message_id TEXT,
            doc TEXT NOT NULL);
        CREATE INDEX ix_messages_session ON messages(session_id, seq);
        CREATE UNIQUE INDEX ux_messages_client ON messages(session_id, role, client_message_id) WHERE client_message_id IS NOT NULL;
        CREATE TABLE usage_events(
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            clone_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX ix_usage_session ON usage_events(session_id, created_at);
        """,
        // 5: the chunk FTS5 table of data folders made before this version goes: keyword search ranks with the in-memory BM25
        // index (CloneKeywords), so the table and its triggers only cost every chunk write. Triggers first, or the next insert
        // into chunks would fail. The pages it held are free for reuse.
        """
        DROP TRIGGER IF EXISTS chunks_fts_insert;
        DROP TRIGGER IF EXISTS chunks_fts_delete;
        DROP TRIGGER IF EXISTS chunks_fts_update;
        DROP TABLE IF EXISTS chunks_fts;
        """,
        // 6: the double-entry ledger: immutable transactions (one per idempotency key), their entries, and each account's
        // balance, written together in one transaction.
        """
        CREATE TABLE IF NOT EXISTS ledger_transactions(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS ledger_entries(
            transaction_seq INTEGER NOT NULL REFERENCES ledger_transactions(seq),
            account TEXT NOT NULL,
            amount INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_ledger_entries_account ON ledger_entries(account, transaction_seq);
        CREATE TABLE IF NOT EXISTS ledger_balances(
            account TEXT PRIMARY KEY,
            balance INTEGER NOT NULL);
        """,
        // 7: wallet top-ups: one per user and idempotency key; found by id, and by the provider's reference for a payment.
        """
        CREATE TABLE IF NOT EXISTS topups(
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            provider TEXT NOT NULL,
            provider_reference TEXT,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL,
            UNIQUE(user_id, idempotency_key));
        CREATE INDEX IF NOT EXISTS ix_topups_reference ON topups(provider, provider_reference) WHERE provider_reference IS NOT NULL;
        """,
        // 8: the creator dashboard reads a clone's usage events by time.
        """
        CREATE INDEX IF NOT EXISTS ix_usage_clone ON usage_events(clone_id, created_at);
        """,
        // 9: payouts: creators' payout requests (one per creator and idempotency key) and their connected Stripe accounts.
        """
        CREATE TABLE IF NOT EXISTS payouts(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            creator_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            status TEXT NOT NULL,
            amount INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL,
            UNIQUE(creator_id, idempotency_key));
        CREATE INDEX IF NOT EXISTS ix_payouts_creator ON payouts(creator_id, seq);
        CREATE INDEX IF NOT EXISTS ix_payouts_status ON payouts(status, seq);
        CREATE TABLE IF NOT EXISTS payout_accounts(
            creator_id TEXT PRIMARY KEY,
            doc TEXT NOT NULL);
        """,
        // 10 (Lago): the billing outbox (usage events for the billing provider, one per usage key, with their delivery state)
        // and the receipts of applied provider webhooks (one per provider and unique key).
        """
        CREATE TABLE IF NOT EXISTS billing_outbox(
            key TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            sent_at INTEGER,
            last_error TEXT,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_billing_outbox_due ON billing_outbox(next_attempt_at) WHERE status = 'pending';
        CREATE TABLE IF NOT EXISTS webhook_receipts(
            provider TEXT NOT NULL,
            unique_key TEXT NOT NULL,
            type TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            reference TEXT,
            PRIMARY KEY(provider, unique_key));
        """,
        // 11: usage events whose charge is not posted to the ledger yet (the sweep's work list, emptied as each is settled). Events
        // recorded before sessions drew from wallets were never charged: they are marked settled with nothing paid.
        """
        CREATE TABLE IF NOT EXISTS usage_unsettled(
            usage_id TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_usage_unsettled_created ON usage_unsettled(created_at);
        UPDATE usage_events SET doc = json_set(doc, '$.settledAt', strftime('%Y-%m-%dT%H:%M:%fZ', created_at / 1000.0, 'unixepoch'), '$.charged', 0)
            WHERE json_extract(doc, '$.settledAt') IS NULL;
        """,
        // 12 (issue 14, progress): a user's ticks of their checklist items with a clone (the items are read from memory and summaries).
        """
        CREATE TABLE IF NOT EXISTS progress_ticks(
            user_id TEXT NOT NULL,
            clone_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            done INTEGER NOT NULL,
            done_at INTEGER,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(user_id, clone_id, item_id));
        """,
        // 13: session summaries (issue 14 part 1), one per session, read by their user.
        """
        CREATE TABLE IF NOT EXISTS session_summaries(
            session_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            clone_id TEXT NOT NULL,
            session_ended_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_session_summaries_user ON session_summaries(user_id, session_ended_at);
        """,
        // 14 (memory): users' memory items (per user; clone_id null for a shared item; session_id of the message it came from) and
        // their per-clone settings (memory on or off, a style override).
        """
        CREATE TABLE IF NOT EXISTS memories(
            user_id TEXT NOT NULL,
            id TEXT NOT NULL,
            clone_id TEXT,
            session_id TEXT,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY(user_id, id));
        CREATE INDEX IF NOT EXISTS ix_memories_session ON memories(user_id, session_id);
        CREATE TABLE IF NOT EXISTS clone_preferences(
            user_id TEXT NOT NULL,
            clone_id TEXT NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY(user_id, clone_id));
        """,
        // 15: the audit log of admin actions
        """
        CREATE TABLE IF NOT EXISTS audit_log(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at INTEGER NOT NULL,
            actor_id TEXT NOT NULL,
            subject_user_id TEXT,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_audit_subject ON audit_log(subject_user_id, seq) WHERE subject_user_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_audit_actor ON audit_log(actor_id);
        """,
        // 16 (admin console): featured clones first in the marketplace's default (popular) order.
        """
        CREATE INDEX IF NOT EXISTS ix_clones_featured_popular
            ON clones(status, COALESCE(json_extract(doc, '$.featured'), 0) DESC, session_count DESC, seq DESC);
        """,
        // 17 (moderation, issue 15 parts 3 and 4): reports of clones and answers, and creators' verification requests.
        """
        CREATE TABLE IF NOT EXISTS reports(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            clone_id TEXT NOT NULL,
            reporter_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_reports_clone ON reports(clone_id, status);
        CREATE INDEX IF NOT EXISTS ix_reports_reporter ON reports(reporter_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_reports_status ON reports(status, seq);
        CREATE TABLE IF NOT EXISTS verification_requests(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_verification_user ON verification_requests(user_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_verification_status ON verification_requests(status, seq);
        """,
        // 18 (issue 15, your data): data exports (one being built per user at a time) and account deletions under way (a row
        // from the request until every eraser ran, so a crash is finished at start).
        """
        CREATE TABLE IF NOT EXISTS data_exports(
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            emailed INTEGER NOT NULL DEFAULT 0,
            doc TEXT NOT NULL,
            etag TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_data_exports_user ON data_exports(user_id, created_at DESC);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_data_exports_building ON data_exports(user_id) WHERE status = 'building';
        CREATE TABLE IF NOT EXISTS account_deletions(
            user_id TEXT PRIMARY KEY,
            pseudonym TEXT NOT NULL,
            requested_at INTEGER NOT NULL);
        """,
        // 19 (issue 15, limits): one record per clone and user (counted among its users: popularity counts people, not sessions;
        // their one rating, the latest), filled from the sessions so far (a user's latest rated session; never the owner's own),
        // with every clone's session count, rating and rating count recomputed from it; and each user's embedding work per UTC
        // day (one row per ingestion run), the budget RateLimits:EmbeddingCharactersPerDay is checked against.
        """
        CREATE TABLE IF NOT EXISTS clone_audience(
            clone_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            counted INTEGER NOT NULL DEFAULT 0,
            stars INTEGER,
            session_id TEXT,
            rated_at INTEGER,
            PRIMARY KEY(clone_id, user_id));
        CREATE INDEX IF NOT EXISTS ix_clone_audience_user ON clone_audience(user_id);
        INSERT OR IGNORE INTO clone_audience(clone_id, user_id, counted)
            SELECT DISTINCT clone_id, user_id, 1 FROM sessions
            WHERE status = 'ended' AND COALESCE(json_extract(doc, '$.messageCount'), 0) > 0 AND NOT COALESCE(json_extract(doc, '$.preview'), 0)
                AND user_id <> COALESCE(json_extract(doc, '$.ownerId'), '');
        INSERT INTO clone_audience(clone_id, user_id, counted, stars, session_id, rated_at)
            SELECT s.clone_id, s.user_id, 0, json_extract(s.doc, '$.rating'), s.id, s.last_activity_at FROM sessions s
            WHERE json_extract(s.doc, '$.rating') IS NOT NULL AND NOT COALESCE(json_extract(s.doc, '$.preview'), 0)
                AND s.user_id <> COALESCE(json_extract(s.doc, '$.ownerId'), '')
                AND s.seq = (SELECT MAX(t.seq) FROM sessions t
                    WHERE t.clone_id = s.clone_id AND t.user_id = s.user_id AND json_extract(t.doc, '$.rating') IS NOT NULL)
            ON CONFLICT(clone_id, user_id) DO UPDATE SET stars = excluded.stars, session_id = excluded.session_id, rated_at = excluded.rated_at;
        UPDATE clones SET
            session_count = (SELECT COUNT(*) FROM clone_audience a WHERE a.clone_id = clones.id AND a.counted = 1),
            rating = COALESCE((SELECT ROUND(AVG(a.stars), 2) FROM clone_audience a WHERE a.clone_id = clones.id AND a.stars IS NOT NULL), 0);
        UPDATE clones SET doc = json_set(doc, '$.sessionCount', session_count, '$.rating', rating,
            '$.ratingCount', (SELECT COUNT(*) FROM clone_audience a WHERE a.clone_id = clones.id AND a.stars IS NOT NULL)),
            etag = lower(hex(randomblob(16)));
        CREATE TABLE IF NOT EXISTS embedding_usage(
            user_id TEXT NOT NULL,
            key TEXT NOT NULL,
            day TEXT NOT NULL,
            characters INTEGER NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY(user_id, key));
        CREATE INDEX IF NOT EXISTS ix_embedding_usage_day ON embedding_usage(user_id, day);
        """,
        // 20 (issue 15, auth): failed sign-ins per key (address and client, or client), counted atomically before a password is
        // checked, with the time until which the key is slowed down; and the tokens revoked (logout, reuse, reset), told apart
        // from those merely spent by rotation (which a second tab may still present for a short while).
        """
        CREATE TABLE IF NOT EXISTS login_failures(
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure_at INTEGER NOT NULL,
            blocked_until INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS token_revocations(
            hash TEXT PRIMARY KEY,
            revoked_at INTEGER NOT NULL);
        """,
        // 21 (issue 15, your data): deleted accounts by a hash of their id, so that (Entra) a token issued before the deletion
        // cannot create the account again.
        """
        CREATE TABLE IF NOT EXISTS deleted_accounts(
            hash TEXT PRIMARY KEY,
            deleted_at INTEGER NOT NULL);
        """,
        // 22 (issue 15, auth): account emails queued off the request path (a reset link, a verification again), stored so that a
        // stop loses none: what to send to which address, due from due_at (a claim moves it to the end of its lease). A row is
        // deleted once its email was sent or given up.
        """
        CREATE TABLE IF NOT EXISTS account_email_jobs(
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            address TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_account_email_jobs_due ON account_email_jobs(due_at, created_at);
        CREATE INDEX IF NOT EXISTS ix_account_email_jobs_address ON account_email_jobs(address);
        """,
        // 23 (issue 15, limits): the throttles' sliding windows (IRateWindowStore): one row per counted request, under the SHA-256
        // of its key (never the address or user id itself), dropped once it has left its window (expires_at).
        """
        CREATE TABLE IF NOT EXISTS rate_events(
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_rate_events_key ON rate_events(key, at);
        CREATE INDEX IF NOT EXISTS ix_rate_events_expires ON rate_events(expires_at);
        """,
        // 24 (issue 15): the marketplace's indexes also hold whether moderation hid the clone (the document's hiddenAt), so its
        // filter is read from the index instead of parsing every row's document; one per sort order.
        """
        DROP INDEX IF EXISTS ix_clones_featured_popular;
        CREATE INDEX IF NOT EXISTS ix_clones_market_popular
            ON clones(status, json_extract(doc, '$.hiddenAt'), COALESCE(json_extract(doc, '$.featured'), 0) DESC, session_count DESC, seq DESC);
        CREATE INDEX IF NOT EXISTS ix_clones_market_rating ON clones(status, json_extract(doc, '$.hiddenAt'), rating DESC, seq DESC);
        CREATE INDEX IF NOT EXISTS ix_clones_market_newest ON clones(status, json_extract(doc, '$.hiddenAt'), published_at DESC, seq DESC);
        CREATE INDEX IF NOT EXISTS ix_clones_market_price ON clones(status, json_extract(doc, '$.hiddenAt'), sort_price, seq);
        """,
    ];

    private readonly string _connectionString;

    public SqliteDatabase(string path, ILogger<SqliteDatabase> logger)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate(logger);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private void Migrate(ILogger logger)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Migrations[version - 1], tx);
            Execute(connection, $"INSERT INTO schema_version(version) VALUES ({version})", tx);
            tx.Commit();
            logger.LogInformation("Applied schema migration {Version}", version);
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal static class SqliteExtensions
{
    public const int ConstraintError = 19;

    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static long ToUnixMs(this DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
