namespace Slipway.Storage.Addons;

/// <summary>What becomes of an add-on's bucket when the add-on goes (destroyed, or with its app).</summary>
public enum BucketDisposal
{
    /// <summary>The bucket stays with the account, reachable with its account-wide keys.</summary>
    Keep,

    /// <summary>An empty bucket goes; one with objects stays, so that no data is lost without a confirmation.</summary>
    DeleteIfEmpty,

    /// <summary>The user confirmed: the bucket goes with every object in it.</summary>
    DeleteWithObjects,
}
