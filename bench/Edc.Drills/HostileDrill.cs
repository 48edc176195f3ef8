using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edc.Bench;
using Npgsql;

namespace Edc.Drills;

/// <summary>What the hostile drill aims at: a locked trial with a whole participant, and ids that do not exist.</summary>
internal sealed record HostileFixture(
    DrillTrial Locked, Guid Participant, Guid AdverseEvent, Guid UnblindingRequest, Guid ExistingUser, string ExistingEmail, Accounts Accounts);

/// <summary>
/// Drill 4: hostile and malformed requests generated from the OpenAPI document (every operation, its route values,
/// query parameters and body schema), each designed to be refused: clinical writes go to a locked trial (409) or to ids
/// that do not exist (404), creations repeat an existing code or e-mail, sign-ins name no account. Nothing may answer
/// 5xx, every error must be a problem body, and the database must not change, except for the side effects a refusal
/// legitimately has (listed in <see cref="ExcludedAuditActions"/>).
/// </summary>
internal static class HostileDrill
{
    /// <summary>
    /// Audit rows a refused or read-only request legitimately writes: failed sign-ins are audited (security), reads of
    /// the randomization list and exports are audited even when their query carries junk the endpoint ignores.
    /// </summary>
    public static readonly string[] ExcludedAuditActions = ["LoginFailed", "Read", "Export"];

    private static readonly string Sql = "'; DROP TABLE participants; --";

    private static readonly string[] HostileStrings =
    [
        Sql, "1' OR '1'='1", "\"; SELECT pg_sleep(5); --", "1; UPDATE users SET is_active = false", "$1", "\\x00",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}",
        new string('A', 10 * 1024), "\u0000\u0001\u0002", "\u202Eevil", new string('\uD835', 1) + "\uDD4F", "\uFFFF", "../../../../etc/passwd",
        "%s%s%n{0}", "a\r\nSet-Cookie: x=1", "", " ", "null", "2026-02-30", "0000-00-00", "9999-12-31T99:99:99Z", "-271821-04-20",
        "00000000-0000-0000-0000-00000000000G", "Bogus", "NaN", "Infinity", "-0", "1e309", "0x10",
    ];

    private static readonly string[] HostileJsonValues =
    [
        "123", "-1", "0", "1.5", "true", "false", "null", "[]", "{}", "[1,2,3]", "{\"a\":1}", "1e309", "-1e309",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e-400", "-0", "123456789012345678901234567890",
        "\"NaN\"", "\"Infinity\"", "[null]", "[\"" + Sql + "\"]", "{\"$type\":\"System.IO.FileInfo\",\"fileName\":\"/etc/passwd\"}",
    ];

    private static readonly string[] HostileQueryValues =
    [
        "abc", "-1", "0", "2147483648", "99999999999999999999", "1e309", "NaN", "", "2026-13-45", "not-a-guid", "maybe", "Bogus",
        Uri.EscapeDataString(Sql), "%3Cscript%3Ealert(1)%3C%2Fscript%3E", new string('9', 2000), "%FF%FE", "%00", "2026-02-30T25:61:61Z",
    ];

    private static readonly string[] HostileRouteValues =
    [
        "not-a-guid", Uri.EscapeDataString(Sql), "%3Cscript%3E", "00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc%2Fpasswd",
        new string('x', 3000), "%FF", "%00", "-1", "1e309", "%E2%80%AE",
    ];

    private sealed record Spec(string Method, string Path, string? Token, byte[]? Body, string? MediaType, string Label, string? IdempotencyKey = null)
    {
        /// <summary>
        /// A NUL (%00) in the path: Kestrel refuses the request line itself (400, empty body, Connection: close) before
        /// any middleware runs, so the application cannot answer it with a problem body. Counted apart.
        /// </summary>
        public bool RefusedByKestrel => Path.Split('?')[0].Contains("%00", StringComparison.Ordinal);
    }

    public static async Task<DrillReport> RunAsync(ApiProcess api, Cluster cluster, HostileFixture fixture, int total, CancellationToken ct)
    {
        var report = new DrillReport("4. Hostile input");
        Console.WriteLine($"{report.Name}: {total} malformed or hostile requests generated from /openapi/v1.json, 8 at a time");
        using var anonymous = Http.Client(api.BaseAddress);
        var document = Http.Expect(await Http.GetAsync(anonymous, "/openapi/v1.json", ct), "the OpenAPI document");
        var operations = Operations(document).ToList();

        // Probe each operation's template on each target once, before the snapshot: a target that accepts the
        // template (a write allowed after the lock) is not used for mutations of that operation.
        var targets = new Dictionary<(string, string, bool), bool>();
        using (var probe = Http.Client(api.BaseAddress))
        {
            foreach (var op in operations)
            {
                foreach (var existing in new[] { true, false })
                {
                    var spec = Template(op, fixture, existing);
                    var answer = await SendAsync(probe, spec, ct);
                    var usable = op.Method == "GET" || !answer.Ok;
                    targets[(op.Method, op.Path, existing)] = usable;
                    if (!usable)
                    {
                        report.Line($"probe: {op.Method} {op.Path} accepted its template on the {(existing ? "locked trial" : "made-up ids")} ({answer.Status}); that target is left out");
                    }
                }
            }
        }

        var specs = Generate(operations, fixture, targets).ToList();
        report.Line($"{operations.Count} operations; {specs.Count} distinct hostile requests generated; sending {total}");
        var before = await SnapshotAsync(cluster.ConnectionString, ct);

        var tally = new Tally();
        var accepted = new ConcurrentBag<string>();
        var index = -1;
        var refusedByKestrel = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var http = Http.Client(api.BaseAddress, timeoutSeconds: 60);
            int i;
            while ((i = Interlocked.Increment(ref index)) < total)
            {
                var spec = specs[(int)((long)i * 7919 % specs.Count)];
                try
                {
                    var answer = await SendAsync(http, spec, ct);
                    if (spec.RefusedByKestrel && answer is { Status: 400, Body.Length: 0 })
                    {
                        Interlocked.Increment(ref refusedByKestrel);
                        continue;
                    }

                    tally.Add(answer, $"{spec.Method} {Http.Truncate(spec.Path, 120)} [{spec.Label}]");
                    if (answer.Ok && spec.Method != "GET")
                    {
                        accepted.Add($"{spec.Method} {Http.Truncate(spec.Path, 120)} [{spec.Label}] -> {answer.Status}");
                    }
                }
                catch (Exception e) when ((e is HttpRequestException or OperationCanceledException or IOException or System.Net.Sockets.SocketException) && !ct.IsCancellationRequested)
                {
                    tally.AddTransportError($"{spec.Method} {Http.Truncate(spec.Path, 120)} [{spec.Label}]", e);
                }
            }
        }, ct)).ToList();
        await Task.WhenAll(workers);

        var after = await SnapshotAsync(cluster.ConnectionString, ct);
        var changed = before.Keys.Union(after.Keys).Where(k => !k.StartsWith('#') && before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).ToList();
        var excludedRows = await Integrity.ScalarAsync(cluster.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE action = ANY(@actions) AND seq > @seq", ct, ("actions", ExcludedAuditActions), ("seq", before["#audit max seq"].Split(' ')[0] is var s && long.TryParse(s, out var n) ? n : 0L));

        report.Line($"by status: {tally.StatusLine()}");
        report.Line($"refused by Kestrel before the application (NUL in the path: 400, empty body, connection closed; not counted above): {refusedByKestrel}");
        report.Line($"problem types: {tally.ProblemTypesLine()}");
        report.Line($"tables compared: {before.Count - 1} (row count and md5 of every row); audit rows of {string.Join(", ", ExcludedAuditActions)} written meanwhile (excluded): {excludedRows}");
        foreach (var sample in tally.Samples)
        {
            report.Line("sample: " + sample);
        }

        foreach (var line in accepted.Take(10))
        {
            report.Line("accepted: " + line);
        }

        report.Check(tally.CountWhere(s => s >= 500) == 0 && tally.TransportErrors == 0, $"no 5xx and no request without an answer ({tally.CountWhere(s => s >= 500)}, {tally.TransportErrors})");
        report.Check(tally.NotProblem == 0, $"every error is a problem+json body with its status and type ({tally.NotProblem} are not)");
        report.Check(accepted.IsEmpty, $"no write accepted ({accepted.Count})");
        report.Check(changed.Count == 0, $"the database is unchanged ({(changed.Count == 0 ? "every table identical" : "changed: " + string.Join(", ", changed))})");
        report.Check(!api.HasExited, "the API process is still running");
        return report;
    }

    private sealed record Operation(string Method, string Path, JsonElement? BodySchema, List<(string Name, string In, string? Type, string? Format)> Parameters, bool Idempotent);

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Name != "parameters"))
            {
                var method = op.Name.ToUpperInvariant();
                if (path.Name == "/api/auth/logout")
                {
                    continue; // no input: with a valid token it is a legitimate sign-out, and it ends the drill's session
                }

                JsonElement? body = null;
                if (op.Value.TryGetProperty("requestBody", out var requestBody) && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    var schema = json.GetProperty("schema");
                    body = schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
                }

                var parameters = op.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Select(p => (
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) && s.TryGetProperty("type", out var t) ? (t.ValueKind == JsonValueKind.Array ? t[1].GetString() : t.GetString()) : null,
                        p.TryGetProperty("schema", out var s2) && s2.TryGetProperty("format", out var f) ? f.GetString() : null)).ToList()
                    : [];
                yield return new Operation(method, path.Name, body, parameters, parameters.Any(p => p.Item1 == "Idempotency-Key"));
            }
        }
    }

    /// <summary>The token of the role the operation is for (the right caller, so the request gets past authorization).</summary>
    private static string? TokenFor(Operation op, Accounts a) => op.Path switch
    {
        var p when p.StartsWith("/api/auth", StringComparison.Ordinal) => null,
        var p when p.StartsWith("/api/users", StringComparison.Ordinal) || p.StartsWith("/api/audit", StringComparison.Ordinal) || p.EndsWith("/audit", StringComparison.Ordinal) => a.Admin,
        "/api/trials" when op.Method == "POST" => a.Admin,
        var p when p.EndsWith("/sites", StringComparison.Ordinal) || p.EndsWith("/lock", StringComparison.Ordinal) => a.Admin,
        var p when p.Contains("/randomization-list", StringComparison.Ordinal) || p.EndsWith("/decision", StringComparison.Ordinal) || p.EndsWith("/final-unblinding", StringComparison.Ordinal) => a.Statistician,
        var p when p.EndsWith("/unblinding-requests", StringComparison.Ordinal) => a.Dsmb,
        var p when p.EndsWith("/emergency-unblinding", StringComparison.Ordinal) => a.Investigator,
        _ => a.Coordinator,
    };

    private static string FillPath(Operation op, HostileFixture f, bool existing, string? hostileParam = null, string? hostileValue = null) =>
        System.Text.RegularExpressions.Regex.Replace(op.Path, "{([^}]+)}", m =>
        {
            var name = m.Groups[1].Value;
            if (name == hostileParam)
            {
                return hostileValue!;
            }

            return (name, existing) switch
            {
                ("visitCode", _) => "D0",
                (_, false) => Guid.NewGuid().ToString(),
                ("trialId", _) => f.Locked.Id.ToString(),
                ("participantId", _) => f.Participant.ToString(),
                ("adverseEventId", _) => f.AdverseEvent.ToString(),
                ("requestId", _) => f.UnblindingRequest.ToString(),
                ("id", _) => op.Method == "GET" ? f.ExistingUser.ToString() : Guid.NewGuid().ToString(),
                _ => Guid.NewGuid().ToString(),
            };
        });

    /// <summary>A plausible body for the operation, refused by its target (locked trial, made-up ids, existing code or e-mail).</summary>
    private static JsonObject? TemplateBody(Operation op, HostileFixture f)
    {
        if (op.BodySchema is not { } schema)
        {
            return null;
        }

        if (op.Path == "/api/trials" && op.Method == "POST")
        {
            return JsonSerializer.SerializeToNode(DrillSetup.TrialDefinition(f.Locked.Code), Http.Json)!.AsObject();
        }

        var body = new JsonObject();
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            body[property.Name] = ValueFor(op, property.Name, property.Value, f);
        }

        return body;
    }

    private static JsonNode? ValueFor(Operation op, string name, JsonElement schema, HostileFixture f)
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var format = schema.TryGetProperty("format", out var fm) ? fm.GetString() : null;
        var types = schema.TryGetProperty("type", out var t)
            ? (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).ToList() : [t.GetString()])
            : [];
        return name switch
        {
            "email" => op.Path == "/api/users" ? f.ExistingEmail : "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@edc.local",
            "password" => op.Path == "/api/users" ? DrillSetup.UserPassword : "Not-The-Password-2026",
            "refreshToken" => "not-a-refresh-token",
            "roles" => new JsonArray("Coordinator"),
            "siteIds" => new JsonArray(f.Locked.Site.ToString()),
            "siteId" => f.Locked.Site.ToString(),
            "screeningNumber" => "HOSTILE-001",
            "sex" => "F",
            "code" => "S1",
            "scores" => JsonSerializer.SerializeToNode(DrillSetup.MrssAreas.ToDictionary(a => a, _ => 1)),
            "eligibility" => new JsonObject { [DrillSetup.Inclusion] = true, [DrillSetup.Exclusion] = false },
            "strata" => new JsonObject { [DrillSetup.Factor] = "limited" },
            "blockSizes" => new JsonArray(2, 4),
            "seriousnessCriteria" => new JsonArray(),
            "procedures" => new JsonArray("Mrss"),
            "status" => "Completed",
            "relatedness" => "Possible",
            "actionTaken" => "DoseNotChanged",
            "outcome" => "Recovering",
            "recipient" => "Sponsor",
            "grade" => 2,
            _ when format == "date" => today,
            _ when format == "date-time" => DateTime.UtcNow.ToString("O"),
            _ when format == "uuid" => Guid.NewGuid().ToString(),
            _ when types.Contains("integer") => 1,
            _ when types.Contains("number") => 1,
            _ when types.Contains("boolean") => name is "approve" ? false : true,
            _ when types.Contains("array") => new JsonArray(),
            _ when types.Contains("object") => new JsonObject(),
            _ => "Drill text " + name,
        };
    }

    private static Spec Template(Operation op, HostileFixture f, bool existing)
    {
        var body = TemplateBody(op, f);
        if (op.Path.EndsWith("/import", StringComparison.Ordinal))
        {
            return new Spec(op.Method, FillPath(op, f, existing), TokenFor(op, f.Accounts), Encoding.UTF8.GetBytes("stratum,sequence,randomizationNumber,kitNumber,armCode\nextent=limited,1,R-1,K-1,ACT\n"), "text/csv", "template");
        }

        return new Spec(op.Method, FillPath(op, f, existing), TokenFor(op, f.Accounts), body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString()), body is null ? null : "application/json", "template");
    }

    private static IEnumerable<Spec> Generate(List<Operation> operations, HostileFixture f, Dictionary<(string, string, bool), bool> usable)
    {
        foreach (var op in operations)
        {
            foreach (var existing in new[] { true, false }.Where(e => usable[(op.Method, op.Path, e)]))
            {
                var token = TokenFor(op, f.Accounts);
                var template = TemplateBody(op, f);
                var path = FillPath(op, f, existing);

                // Who: anonymous, a role that may not, garbage tokens.
                yield return new Spec(op.Method, path, null, Bytes(template), Media(template), "anonymous");
                yield return new Spec(op.Method, path, f.Accounts.Pharmacist, Bytes(template), Media(template), "pharmacist");
                yield return new Spec(op.Method, path, "not.a.token", Bytes(template), Media(template), "garbage token");
                yield return new Spec(op.Method, path, Sql, Bytes(template), Media(template), "SQL token");

                // Route values.
                foreach (var parameter in op.Parameters.Where(p => p.In == "path"))
                {
                    foreach (var value in HostileRouteValues)
                    {
                        yield return new Spec(op.Method, FillPath(op, f, existing, parameter.Name, value), token, Bytes(template), Media(template), $"route {parameter.Name}={Http.Truncate(value, 20)}");
                    }
                }

                // Query strings: every parameter with every hostile value, repeated, and unknown ones.
                foreach (var parameter in op.Parameters.Where(p => p.In == "query"))
                {
                    foreach (var value in HostileQueryValues)
                    {
                        yield return new Spec(op.Method, $"{path}?{parameter.Name}={value}", token, Bytes(template), Media(template), $"query {parameter.Name}={Http.Truncate(value, 20)}");
                    }

                    yield return new Spec(op.Method, $"{path}?{parameter.Name}=1&{parameter.Name}=2", token, Bytes(template), Media(template), $"query {parameter.Name} twice");
                }

                if (op.Parameters.Any(p => p.Name == "pageSize"))
                {
                    foreach (var size in new[] { "-1", "0", "-2147483648", "1000000", "201" })
                    {
                        yield return new Spec(op.Method, $"{path}?page=1&pageSize={size}", token, null, null, $"pageSize={size}");
                    }
                }

                yield return new Spec(op.Method, $"{path}?$where={Uri.EscapeDataString(Sql)}&__proto__[x]=1", token, Bytes(template), Media(template), "unknown query");

                // Other methods on the same path.
                foreach (var method in new[] { "DELETE", "PATCH", "PUT", "POST" }.Where(m => m != op.Method && !operations.Any(o => o.Path == op.Path && o.Method == m)))
                {
                    yield return new Spec(method, path, token, Bytes(template), Media(template), "method " + method);
                }

                if (op.Idempotent)
                {
                    foreach (var key in new[] { new string('k', 201), "", "\u043a\u043b\u044e\u0447", "a\tb" })
                    {
                        yield return new Spec(op.Method, path, token, Bytes(template), Media(template), "idempotency key", key);
                    }

                    yield return new Spec(op.Method, path, token, Bytes(template), Media(template), "idempotency key valid", "hostile-" + Guid.NewGuid());
                }

                if (op.Path.EndsWith("/import", StringComparison.Ordinal))
                {
                    foreach (var csv in new[] { "", "a,b\n", Sql, "stratum,sequence,randomizationNumber,kitNumber,armCode\n" + string.Concat(Enumerable.Repeat("x,-1,<script>,'--,ZZZ\n", 2000)), new string(',', 100_000), "\"unterminated" })
                    {
                        yield return new Spec(op.Method, path, token, Encoding.UTF8.GetBytes(csv), "text/csv", "csv");
                    }

                    yield return new Spec(op.Method, path, token, new byte[1_200_000], "text/csv", "csv 1.2 MB");
                }

                if (template is null)
                {
                    continue;
                }

                foreach (var spec in BodyMutations(op, path, token, template))
                {
                    yield return spec;
                }
            }
        }
    }

    private static IEnumerable<Spec> BodyMutations(Operation op, string path, string? token, JsonObject template)
    {
        Spec Raw(string label, byte[] body, string? media = "application/json") => new(op.Method, path, token, body, media, label);
        Spec Text(string label, string body, string? media = "application/json") => Raw(label, Encoding.UTF8.GetBytes(body), media);
        var json = template.ToJsonString();

        yield return Raw("empty body", []);
        foreach (var root in new[] { "null", "[]", "\"text\"", "123", "true", "{", "}", "{\"a\":}", json[..^1], json + ",", json + json, "{'code':'x'}", "/* c */" + json, json.Replace("}", ",}", StringComparison.Ordinal), "NaN", "\u00EF\u00BB\u00BF" + json })
        {
            yield return Text("root " + Http.Truncate(root, 15), root);
        }

        yield return Text("depth 10000 arrays", new string('[', 10_000) + new string(']', 10_000));
        yield return Text("depth 10000 objects", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
        yield return Text("1.1 MB string", "{\"x\":\"" + new string('A', 1_100_000) + "\"}");
        yield return Text("huge array", "{\"x\":[" + string.Join(',', Enumerable.Repeat("1", 300_000)) + "]}");
        yield return Raw("invalid UTF-8", [.. Encoding.UTF8.GetBytes(json[..^1] + ",\"x\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8.ToArray()]);
        yield return Raw("UTF-16 as UTF-8", Encoding.Unicode.GetBytes(json));
        yield return Text("text/plain", json, "text/plain");
        yield return Text("xml", "<body><code>x</code></body>", "application/xml");
        yield return Text("form", "code=x&name=y", "application/x-www-form-urlencoded");
        yield return Text("multipart", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b");
        yield return Raw("no content type", Encoding.UTF8.GetBytes(json), null);
        yield return Text("charset utf-16", json, "application/json; charset=utf-16");

        var unknown = (JsonObject)template.DeepClone();
        unknown["__proto__"] = new JsonObject { ["admin"] = true };
        unknown["$type"] = "System.Diagnostics.Process";
        unknown["isAdmin"] = true;
        unknown["id"] = Guid.NewGuid().ToString();
        yield return Text("unknown fields", unknown.ToJsonString());

        var everyString = (JsonObject)template.DeepClone();
        foreach (var (name, value) in template)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                everyString[name] = new string('Z', 10 * 1024);
            }
        }

        yield return Text("10 KB in every string field", everyString.ToJsonString());

        foreach (var (name, value) in template)
        {
            // A new trial code in a creation of a trial would be valid ("2026-02-30", "NaN" are codes): with it the
            // request is made invalid in another field (no arms), so it is still refused.
            var refused = op is { Method: "POST", Path: "/api/trials" } && name == "code" ? WithoutArms(template) : template;
            foreach (var spec in FieldMutations(op, path, token, refused, name, value))
            {
                yield return spec;
            }
        }
    }

    private static JsonObject WithoutArms(JsonObject template)
    {
        var copy = (JsonObject)template.DeepClone();
        copy["arms"] = new JsonArray();
        return copy;
    }

    private static IEnumerable<Spec> FieldMutations(Operation op, string path, string? token, JsonObject template, string name, JsonNode? value)
    {
        Spec Text(string label, string body) => new(op.Method, path, token, Encoding.UTF8.GetBytes(body), "application/json", label);
        var json = template.ToJsonString();
        foreach (var hostile in HostileJsonValues)
        {
            yield return Text($"{name}={Http.Truncate(hostile, 20)}", Replace(json, template, name, hostile));
        }

        foreach (var hostile in HostileStrings)
        {
            yield return Text($"{name}=\"{Http.Truncate(hostile, 20)}\"", Replace(json, template, name, JsonSerializer.Serialize(hostile)));
        }

        // Duplicate key: the valid value first, then a hostile one.
        yield return Text($"duplicate {name}", json[..^1] + $",\"{name}\":" + JsonSerializer.Serialize(Sql) + "}");

        // Inside objects and arrays (scores, eligibility, strata, roles, siteIds, ...).
        if (value is JsonObject inner && inner.Count > 0)
        {
            var first = inner.First().Key;
            foreach (var hostile in new[] { "\"3\"", "4", "-1", "2147483648", "1e309", "null", "[]", "\"" + Sql.Replace("'", "", StringComparison.Ordinal) + "\"" })
            {
                var copy = (JsonObject)template.DeepClone();
                ((JsonObject)copy[name]!)[first] = JsonNode.Parse(hostile);
                yield return Text($"{name}.{first}={hostile}", copy.ToJsonString());
            }

            var extra = (JsonObject)template.DeepClone();
            ((JsonObject)extra[name]!)[Sql] = 1;
            yield return Text($"{name} unknown key", extra.ToJsonString());
        }

        if (value is JsonArray)
        {
            foreach (var hostile in new[] { "[null]", "[\"" + new string('x', 10240) + "\"]", "[" + string.Join(',', Enumerable.Repeat("\"x\"", 10_000)) + "]", "[[[]]]", "[{\"a\":1}]", "[1e309]" })
            {
                yield return Text($"{name}={Http.Truncate(hostile, 20)}", Replace(json, template, name, hostile));
            }
        }
    }

    private static string Replace(string json, JsonObject template, string name, string rawValue)
    {
        // Raw text, so values System.Text.Json would not write (1e309, invalid surrogates) go out as they are.
        var copy = (JsonObject)template.DeepClone();
        var marker = "__HOSTILE_" + Guid.NewGuid().ToString("N") + "__";
        copy[name] = marker;
        _ = json;
        return copy.ToJsonString().Replace("\"" + marker + "\"", rawValue, StringComparison.Ordinal);
    }

    private static byte[]? Bytes(JsonObject? template) => template is null ? null : Encoding.UTF8.GetBytes(template.ToJsonString());

    private static string? Media(JsonObject? template) => template is null ? null : "application/json";

    private static async Task<Answer> SendAsync(HttpClient http, Spec spec, CancellationToken ct)
    {
        if (spec.IdempotencyKey is { } key && !key.All(char.IsAscii))
        {
            return await SendRawAsync(http.BaseAddress!, spec, ct);
        }

        using var request = new HttpRequestMessage(new HttpMethod(spec.Method), new Uri(spec.Path, UriKind.Relative));
        if (spec.Token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + spec.Token);
        }

        if (spec.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", spec.IdempotencyKey);
        }

        if (spec.Body is not null)
        {
            request.Content = new ByteArrayContent(spec.Body);
            if (spec.MediaType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(spec.MediaType);
            }

            // A body over the limit is refused by its length (413) and the connection closed unread: HttpClient, which
            // reads the answer only once it has sent the whole body, would then often see a broken pipe instead of the
            // 413. Waiting for "100 Continue" first, as curl does for large bodies, lets it read the 413 every time.
            request.Headers.ExpectContinue = spec.Body.Length > 1024 * 1024; // the API's limit (ApiServices.MaxRequestBodyBytes)
        }

        using var response = await http.SendAsync(request, ct);
        return await Answer.ReadAsync(response, ct);
    }

    /// <summary>
    /// HttpClient refuses header values outside ASCII, so a request with such an Idempotency-Key goes out as raw bytes
    /// (the header's value in UTF-8) over a socket of its own, HTTP/1.1 with Connection: close.
    /// </summary>
    private static async Task<Answer> SendRawAsync(Uri baseAddress, Spec spec, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{spec.Method} {spec.Path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n")
            .Append(CultureInfo.InvariantCulture, $"Idempotency-Key: {spec.IdempotencyKey}\r\n");
        if (spec.Token is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {spec.Token}\r\n");
        }

        var body = spec.Body ?? [];
        if (spec.MediaType is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: {spec.MediaType}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        return ParseResponse(received.ToArray());
    }

    /// <summary>Status, media type and body (Content-Length or chunked) of a raw HTTP/1.1 response.</summary>
    private static Answer ParseResponse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new HttpRequestException($"No HTTP response head in {raw.Length} bytes");
        }

        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var rest = raw.AsSpan(end + 4);
        var body = new MemoryStream();
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var lineEnd = rest.IndexOf("\r\n"u8);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(rest[..lineEnd]).Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                body.Write(rest.Slice(lineEnd + 2, size));
                rest = rest[(lineEnd + 2 + size + 2)..];
            }
        }
        else
        {
            body.Write(rest);
        }

        var mediaType = headers.TryGetValue("Content-Type", out var type) ? type.Split(';')[0].Trim() : null;
        return new Answer(status, mediaType, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>Per table: row count and md5 of every row in order; audit_entries without the excluded actions' rows.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var filter = table == "audit_entries" ? "WHERE action <> ALL(@actions)" : string.Empty;
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM \"{table}\" t {filter}", connection);
            command.Parameters.AddWithValue("actions", ExcludedAuditActions);
            snapshot[table] = (string)(await command.ExecuteScalarAsync(ct))!;
        }

        await using (var seq = new NpgsqlCommand("SELECT coalesce(max(seq), 0)::text FROM audit_entries", connection))
        {
            snapshot["#audit max seq"] = (string)(await seq.ExecuteScalarAsync(ct))!;
        }

        return snapshot;
    }
}
