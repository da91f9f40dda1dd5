using Reconciler.GitSource.Diff;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>The pull request comment (<c>diff --format markdown</c>): marker, errors first, per-node summary lines,
/// risks, collapsed details, and the cap.</summary>
public sealed class PullRequestCommentTests
{
    [Fact]
    public void Render_WeightRealServerVipMovePriority_Golden()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Weight, AddRealServer, MoveVipOut, MoveVipIn, Priority));
        Assert.Equal(
            """"
        <!-- reconciler-diff -->
        ### Reconciler diff `1111111aaaaa` → `2222222bbbbb`

        ✅ `2222222bbbbb` is valid.

        - **lb1**: 1 to add, 3 to change, 0 to destroy
        - **lb2**: 1 to add, 3 to change, 0 to destroy

        #### ⚠️ 1 risk to review

        - ⚠️ VIP 192.168.1.122/32 moves from VRRP instance VI_1 to VI_2 (MASTER lb1 -> MASTER lb2)

        <details><summary>Topology: 1 added, 3 changed, 0 removed</summary>

        ```diff
        ~ vrrp instance VI_1
              priorities.lb2: 80 -> 90
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp instance VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]
        ~ service api (TCP 192.168.1.121:8080)
        +   real server 10.0.0.13:8080 (weight 3, nat)
        ~ service web (TCP 192.168.1.120:80)
        ~   real server 192.168.1.104:80
                weight: 5 -> 10
        ```

        </details>

        <details><summary><b>lb1</b>: 1 to add, 3 to change, 0 to destroy</summary>

        ```diff
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10
        ~ ipvs service TCP 192.168.1.121:8080 (api)
        +   destination 10.0.0.13:8080 (weight 3)
        ~ vrrp VI_1
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]
        ```

        </details>

        <details><summary><b>lb2</b>: 1 to add, 3 to change, 0 to destroy</summary>

        ```diff
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10
        ~ ipvs service TCP 192.168.1.121:8080 (api)
        +   destination 10.0.0.13:8080 (weight 3)
        ~ vrrp VI_1
              priority: 80 -> 90
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]
        ```

        </details>

        <sub>Per node: the desired state, without runtime health or VRRP role.</sub>
        """" + "\n",
            PullRequestComment.Render(diff, new PullRequestCommentOptions()));
    }

    [Fact]
    public void Render_InvalidNewRevision_LocatedErrorsFirstAndNoChanges()
    {
        var diff = DiffOf(Samples.Seed, Samples.Invalid);
        Assert.Equal(
            """"
        <!-- reconciler-diff -->
        ### Reconciler diff `1111111aaaaa` → `2222222bbbbb`

        ❌ **`2222222bbbbb` is invalid**: 2 errors. Agents will refuse it and keep their last good topology.

        ```text
        topology/lb.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535
        topology/lb.yaml:13:17: error: services[0].realServers[0].weight: 70000 is greater than the maximum 65535
        ```
        """" + "\n",
            PullRequestComment.Render(diff, new PullRequestCommentOptions()));
    }

    [Fact]
    public void Render_HugeDiff_CutUnderTheCapClosingFenceAndDetailsWithNote()
    {
        var diff = DiffOf(Samples.Empty, Many(1500));
        var full = PullRequestComment.Render(diff, new PullRequestCommentOptions(int.MaxValue));
        Assert.True(full.Length > PullRequestCommentOptions.GitHubCommentLimit);

        foreach (var cap in new[] { PullRequestCommentOptions.DefaultMaxCharacters, 5_000 })
        {
            var cut = PullRequestComment.Render(diff, new PullRequestCommentOptions(cap));

            Assert.True(cut.Length <= cap, $"{cut.Length} > {cap}");
            var lines = cut.Split('\n');
            Assert.Equal("<!-- reconciler-diff -->", lines[0]);
            Assert.Contains("- **lb1**: 3000 to add, 0 to change, 0 to destroy", lines);
            Assert.Equal(0, lines.Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
            Assert.Equal(lines.Count(l => l.StartsWith("<details>", StringComparison.Ordinal)), lines.Count(l => l == "</details>"));
            Assert.StartsWith($"> ⚠️ **Truncated**: ", lines[^2], StringComparison.Ordinal);
            Assert.Contains($"lines left out to keep this comment under {cap:N0} characters (GitHub's limit is 65,536). `reconciler diff 1111111aaaaa 2222222bbbbb` prints the whole diff", lines[^2], StringComparison.Ordinal);
            Assert.StartsWith(cut[..cut.IndexOf("```\n", cut.LastIndexOf("```diff", StringComparison.Ordinal), StringComparison.Ordinal)], full, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_CommentKey_InTheMarkerAndCheckedForHtmlComments()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Weight));

        Assert.StartsWith("<!-- reconciler-diff:site-a/lb -->\n### Reconciler diff", PullRequestComment.Render(diff, new PullRequestCommentOptions(Key: "site-a/lb")), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PullRequestComment.Render(diff, new PullRequestCommentOptions(Key: "a-->b")));
        Assert.False(PullRequestCommentOptions.IsValidKey("a--b"));
        Assert.False(PullRequestCommentOptions.IsValidKey("<x>"));
        Assert.True(PullRequestCommentOptions.IsValidKey("prod.eu-1:lb"));
    }

    [Fact]
    public void Render_ServiceRemovedAndServersLeaving_RisksListedBeforeTheDetails()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, ("  - name: api\n    address: 192.168.1.121", "  - name: api\n    address: 192.168.1.125")));

        var markdown = PullRequestComment.Render(diff, new PullRequestCommentOptions(ServerLimit: 1));

        var risks = markdown.IndexOf("#### ⚠️ 2 risks to review\n\n", StringComparison.Ordinal);
        Assert.True(risks > 0, markdown);
        Assert.Contains("- ⚠️ service api (TCP 192.168.1.121:8080) is removed with its 2 real servers\n", markdown, StringComparison.Ordinal);
        Assert.Contains("- ⚠️ 2 real servers leave service at once (more than 1): api 10.0.0.11:8080, api 10.0.0.12:8080\n", markdown, StringComparison.Ordinal);
        Assert.True(markdown.IndexOf("<details>", StringComparison.Ordinal) > risks);
        var relaxed = PullRequestComment.Render(diff, new PullRequestCommentOptions(ServerLimit: 2));
        Assert.Contains("#### ⚠️ 1 risk to review\n", relaxed, StringComparison.Ordinal);
        Assert.DoesNotContain("leave service", relaxed, StringComparison.Ordinal);
    }
}
