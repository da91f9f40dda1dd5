using Reconciler.Cli.Output;

namespace Reconciler.Cli.Tests.Output;

/// <summary>Standard output to a pipe is buffered while a command prints one line per operation, and nothing is lost
/// or reordered against standard error.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TerminalTests
{
    [Fact]
    public void BufferOutputWhenRedirected_LinesHeldUntilDisposedThenAllInOrder()
    {
        Assert.True(Console.IsOutputRedirected, "the test runner's standard output is a pipe");
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            using (Terminal.BufferOutputWhenRedirected())
            {
                for (var i = 0; i < 3; i++)
                {
                    Console.Out.WriteLine($"+ operation {i}: done");
                }

                Assert.Equal(string.Empty, captured.ToString());
            }

            Assert.Equal("+ operation 0: done\n+ operation 1: done\n+ operation 2: done\n", captured.ToString().ReplaceLineEndings("\n"));
            Console.Out.WriteLine("after");
            Assert.EndsWith("after\n", captured.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public void Fail_WhileBuffered_WhatWasPrintedComesFirst()
    {
        var (original, originalError) = (Console.Out, Console.Error);
        var both = new StringWriter();
        Console.SetOut(both);
        Console.SetError(both);
        try
        {
            using (Terminal.BufferOutputWhenRedirected())
            {
                Console.Out.WriteLine("+ operation 0: done");
                Assert.Equal(ExitCodes.Error, Terminal.Fail("netlink: operation not permitted"));
            }

            Assert.Equal("+ operation 0: done\nreconciler: netlink: operation not permitted\n", both.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }

    [Fact]
    public void BufferOutputWhenRedirected_MoreThanAPiece_HandedOnWithoutWaitingForTheEnd()
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            using (Terminal.BufferOutputWhenRedirected())
            {
                var line = new string('x', 1000);
                for (var i = 0; i < 100; i++)
                {
                    Console.Out.WriteLine(line);
                }

                Assert.True(captured.ToString().Length >= 64 * 1024, "64 KB pieces go out as they fill");
            }

            Assert.Equal(100 * 1001, captured.ToString().ReplaceLineEndings("\n").Length);
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
