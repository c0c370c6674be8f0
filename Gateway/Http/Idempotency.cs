using Beacon.Gateway.Security;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Beacon.Gateway.Http;

/// <summary>
/// Makes a write under <c>/api</c> safe to retry: a POST, PUT, PATCH or DELETE sent again with the same
/// <c>Idempotency-Key</c> header by the same principal (subject, role, scope and station) gets the first answer
/// (status, body, <c>Location</c>) and is applied once. The record lives in an <see cref="IIdempotencyGrain"/>, so the
/// gateways behind a load balancer share it. Runs after authentication, the rate limiter and authorization: a replay is
/// authorised by the route's policy exactly as the request would be, and a 401, 403 or 429 from those is never stored,
/// so retrying it is a real retry. Answers of 500 and above are not stored either.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IGrainFactory grains, ILogger<IdempotencyMiddleware> logger)
{
    /// <summary>Set on a replayed answer, as some public APIs do, so a client can tell.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>A bigger answer is sent but not kept (grain state is no place for it); a retry of it is applied again.</summary>
    internal const int MaxStoredBody = 1 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsWrite(request.Method) || !request.Path.StartsWithSegments("/api") || context.GetEndpoint() is null ||
            !request.Headers.TryGetValue(IdempotencyKeys.Header, out var values))
        {
            await next(context);
            return;
        }
        if (Invalid(values) is { } why)
        {
            await Refuse(StatusCodes.Status400BadRequest, new("Idempotency-Key 无效", "Invalid Idempotency-Key"), why).ExecuteAsync(context);
            return;
        }
        // Every token this gateway issues carries a subject; a request without one (an anonymous route) has no one
        // to keep the key for, and is served as if the header were absent.
        if (context.User.FindFirst("sub")?.Value is not { Length: > 0 })
        {
            await next(context);
            return;
        }

        var requestHash = await HashAsync(request, context.RequestAborted);
        var grain = grains.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey(context.User.Actor(), values[0]!));
        var begin = await grain.BeginAsync(requestHash);
        switch (begin.Verdict)
        {
            case IdempotencyVerdict.Replay:
                await ReplayAsync(context, begin.Answer!);
                return;
            case IdempotencyVerdict.InProgress:
                context.Response.Headers.RetryAfter = "1";
                await Refuse(StatusCodes.Status409Conflict, new("请求正在处理", "Request in progress"),
                    new("使用同一键的请求仍在处理中，请在其答复后重试", "a request with this key is still being processed; retry it once that one has answered"))
                    .ExecuteAsync(context);
                return;
            case IdempotencyVerdict.Mismatch:
                await Refuse(StatusCodes.Status422UnprocessableEntity, new("Idempotency-Key 被重复使用", "Idempotency-Key reused"),
                    new("24 小时内已用于另一请求（方法、路径或请求体不同）；新请求请用新键",
                        "was used for a different request (method, path or body) within the last 24 hours; use a new key for a new request"))
                    .ExecuteAsync(context);
                return;
        }

        await ProceedAsync(context, grain, requestHash);
    }

    private async Task ProceedAsync(HttpContext context, IIdempotencyGrain grain, string requestHash)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            response.Body = original;
            await AbandonAsync(grain);
            throw;
        }
        response.Body = original;

        var status = response.StatusCode;
        if (status < 500 && buffer.Length <= MaxStoredBody)
        {
            var location = response.Headers.Location is { Count: > 0 } l ? l.ToString() : null;
            try
            {
                await grain.CompleteAsync(new IdempotentAnswer(status, response.ContentType, buffer.ToArray(), location, requestHash));
            }
            catch (Exception e)
            {
                // The change is applied and the client should hear so; only a retry of it may be applied again.
                logger.LogError(e, "Could not store the answer of {Method} {Path} for its Idempotency-Key", context.Request.Method, context.Request.Path);
            }
        }
        else
        {
            if (status < 500)
                logger.LogWarning("The answer of {Method} {Path} ({Length} bytes) is too big to keep for its Idempotency-Key",
                    context.Request.Method, context.Request.Path, buffer.Length);
            await AbandonAsync(grain);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task AbandonAsync(IIdempotencyGrain grain)
    {
        try { await grain.AbandonAsync(); }
        catch (Exception e) { logger.LogWarning(e, "Could not clear an Idempotency-Key's in-flight mark"); }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentAnswer answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.ContentType is not null) response.ContentType = answer.ContentType;
        if (answer.Location is not null) response.Headers.Location = answer.Location;
        response.Headers[ReplayedHeader] = "true";
        if (answer.Body.Length > 0)
        {
            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPatch(method);

    private static Said? Invalid(StringValues values) => values switch
    {
        { Count: not 1 } => new("只能发送一次", "must be sent once"),
        [var v] when string.IsNullOrWhiteSpace(v) => new("不能为空", "must not be empty"),
        [var v] when v!.Length > IdempotencyKeys.MaxLength =>
            new($"最多 {IdempotencyKeys.MaxLength} 个字符", $"must be at most {IdempotencyKeys.MaxLength} characters"),
        _ => null,
    };

    private static IResult Refuse(int status, Said title, Said why) =>
        Apis.Answers.Invalid(new Dictionary<string, Said[]> { [IdempotencyKeys.Header] = [why] }, status, title);

    /// <summary>SHA-256 of the method, path and query, and body: what a retry must repeat exactly. The body stays readable.</summary>
    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        request.EnableBuffering();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0) hash.AppendData(chunk, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
