using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Data.Sqlite;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Users;

public sealed class SqliteUserStore(SqliteDatabase db) : IUserStore
{
    public async Task<User?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ReadOneAsync(connection.Command("SELECT doc, etag FROM users WHERE id = $id", ("$id", id)), cancellationToken);
    }

    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ReadOneAsync(connection.Command("SELECT doc, etag FROM users WHERE email = $email", ("$email", email)), cancellationToken);
    }

    public async Task<User> CreateAsync(User user, CancellationToken cancellationToken = default)
    {
        var etag = Json.NewETag();
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            await using var insert = connection.Command(
                "INSERT INTO users(id, email, doc, etag) VALUES ($id, $email, $doc, $etag)",
                ("$id", user.Id), ("$email", user.Email), ("$doc", Json.Write(user with { ETag = null })), ("$etag", etag));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("An account with this email already exists.");
        }
        return user with { ETag = etag };
    }

    public async Task<User> ReplaceAsync(User user, CancellationToken cancellationToken = default)
    {
        var etag = Json.NewETag();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE users SET email = $email, doc = $doc, etag = $etag WHERE id = $id AND etag = $previous",
            ("$id", user.Id), ("$email", user.Email), ("$doc", Json.Write(user with { ETag = null })), ("$etag", etag), ("$previous", user.ETag));
        int changed;
        try { changed = await update.ExecuteNonQueryAsync(cancellationToken); }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("An account with this email already exists.");
        }
        if (changed == 0) throw new ConflictException("The profile was changed by another request. Reload and try again.");
        return user with { ETag = etag };
    }

    private static async Task<User?> ReadOneAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Json.Read<User>(reader.GetString(0)) with { ETag = reader.GetString(1) } : null;
        }
    }
}
