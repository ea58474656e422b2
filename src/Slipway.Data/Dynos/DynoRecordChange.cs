using Slipway.Core.Dynos;

namespace Slipway.Data.Dynos;

/// <summary>One change to the dynos table: a dyno written as it is now, or (when <see cref="Upserted"/> is null) deleted.</summary>
public sealed record DynoRecordChange(string DynoId, DynoRecord? Upserted)
{
    public static DynoRecordChange Upsert(DynoRecord dyno) => new(dyno.Id, dyno);

    public static DynoRecordChange Delete(string dynoId) => new(dynoId, null);
}
