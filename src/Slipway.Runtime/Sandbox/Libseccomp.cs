using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>The libseccomp calls that build a filter and export it as BPF for bwrap's <c>--seccomp</c>.</summary>
internal static partial class Libseccomp
{
    public const string Library = "libseccomp.so.2";
    public const uint ActAllow = 0x7fff0000;

    public static uint ActErrno(int errno) => 0x00050000u | ((uint)errno & 0xffff);

    public enum Compare
    {
        NotEqual = 1,
        Equal = 4,
        MaskedEqual = 7,
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCompare
    {
        public uint Arg;
        public Compare Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Library)]
    public static partial IntPtr seccomp_init(uint defaultAction);

    [LibraryImport(Library)]
    public static partial void seccomp_release(IntPtr context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Library)]
    public static unsafe partial int seccomp_rule_add_array(IntPtr context, uint action, int syscall, uint argCount, ArgCompare* args);

    [LibraryImport(Library)]
    public static partial int seccomp_export_bpf(IntPtr context, int fd);
}
