using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Infrastructure.Auditing;

public static class AuditChain
{
    /// <summary>
    /// Recomputes every row's hash from its content and its predecessor's hash, in order, and names the first row
    /// whose hash, link to the previous row, or sequence number (a deleted row leaves a gap) does not hold.
    /// Set-based in the database; the hash function is the one the insert trigger uses.
    /// </summary>
    public static async Task<AuditChainVerification> VerifyAsync(EdcDbContext db, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH chain AS (
                SELECT a.seq,
                       a.hash <> edc_audit_row_hash(a) AS content_changed,
                       a.previous_hash <> coalesce(lag(a.hash) OVER (ORDER BY a.seq), '') AS link_broken,
                       a.seq <> coalesce(lag(a.seq) OVER (ORDER BY a.seq), 0) + 1 AS sequence_gap
                FROM audit_entries a)
            SELECT (SELECT count(*) FROM chain) AS "RowsChecked",
                   b.seq AS "FirstBrokenSequence",
                   (SELECT max(seq) FROM audit_entries) AS "LastSequence",
                   (SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1) AS "LastHash",
                   CASE WHEN b.content_changed THEN 'The row''s content no longer matches its hash.'
                        WHEN b.link_broken THEN 'The row does not link to the hash of the row before it.'
                        WHEN b.sequence_gap THEN 'Rows are missing before this row.' END AS "Problem"
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (SELECT * FROM chain WHERE content_changed OR link_broken OR sequence_gap ORDER BY seq LIMIT 1) b ON true
            """;
        var result = await db.Database.SqlQueryRaw<ChainRow>(sql).SingleAsync(cancellationToken);
        return new AuditChainVerification(
            result.FirstBrokenSequence is null, result.RowsChecked, result.FirstBrokenSequence, result.Problem, result.LastSequence, result.LastHash);
    }

    private sealed record ChainRow(long RowsChecked, long? FirstBrokenSequence, string? Problem, long? LastSequence, string? LastHash);
}
